// Failed authentications per client address: past the limit within the window, the next failures are
// answered 429 with Retry-After. Only failures are counted and only failures are held back, so a
// valid token from the same address is never slowed.

export const AUTH_FAILURE_LIMIT = 10;
export const AUTH_FAILURE_WINDOW_MS = 60_000;
/** Addresses tracked at once (the oldest go first): a flood from many addresses cannot grow memory. */
const MAX_ADDRESSES = 10_000;

export function authFailureLimiter(limit = AUTH_FAILURE_LIMIT, windowMs = AUTH_FAILURE_WINDOW_MS, log: (line: string) => void = (line) => console.error(line)) {
  const failures = new Map<string, number[]>();
  const recent = (address: string, now: number) => (failures.get(address) ?? []).filter((at) => now - at < windowMs);
  return {
    /** Seconds to wait when `address` is past the limit, else null. */
    retryAfter(address: string, now = Date.now()): number | null {
      const times = recent(address, now);
      return times.length >= limit ? Math.max(1, Math.ceil((times[0] + windowMs - now) / 1000)) : null;
    },
    /** Records one failure; logs once when the address reaches the limit. */
    fail(address: string, now = Date.now()): void {
      const times = recent(address, now);
      times.push(now);
      failures.delete(address);
      failures.set(address, times.slice(-limit));
      if (failures.size > MAX_ADDRESSES) failures.delete(failures.keys().next().value!);
      if (times.length === limit) log(`[auth] ${limit} failed authentications from ${address} within ${windowMs / 1000} s; holding its failures back with 429`);
    },
  };
}
