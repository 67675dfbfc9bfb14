/** `scheme://user:password@host` → `scheme://***@host` anywhere in a text: probe URLs may carry secrets. */
export function redactUrlCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/?#\s@]+@/gi, '$1***@');
}
