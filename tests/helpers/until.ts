/** Polls `get` until `ok` holds, bounded; the error names what was awaited and the last value seen. */
export async function until<T>(what: string, get: () => Promise<T> | T, ok: (value: T) => boolean, timeoutMs = 45_000, everyMs = 150): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  for (;;) {
    last = await get();
    if (ok(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last).slice(0, 1500)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
