/**
 * A request URL fit for a log: the value of any query parameter whose name, once percent-decoded,
 * is "token" (in any case) is replaced. `&` and `;` both separate parameters, and `%74oken=` is caught.
 */
export function redactUrlForLog(url: string): string {
  const queryAt = url.indexOf('?');
  if (queryAt < 0) return url;
  const query = url.slice(queryAt + 1).replace(/([^&;=]*)=([^&;]*)/g, (pair, name: string) => (isTokenName(name) ? `${name}=[redacted]` : pair));
  return `${url.slice(0, queryAt)}?${query}`;
}

function isTokenName(name: string): boolean {
  let decoded = name;
  try {
    decoded = decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    /* malformed escapes: judge the raw name */
  }
  return /token/i.test(decoded);
}
