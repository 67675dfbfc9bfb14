import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileDurably } from '../util/durable-write';

export const TOKEN_FILE = 'api-token';

/** API_TOKEN if given; otherwise a random token generated once and kept in the data dir (mode 0600). */
export function loadOrCreateApiToken(dataDir: string, fromEnv?: string): { token: string; source: 'env' | 'file' | 'generated' } {
  if (fromEnv) return { token: fromEnv, source: 'env' };
  const file = path.join(dataDir, TOKEN_FILE);
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing.length >= 16) {
      fs.chmodSync(file, 0o600);
      return { token: existing, source: 'file' };
    }
  } catch {
    /* not created yet */
  }
  const token = crypto.randomBytes(32).toString('base64url');
  // A new file (temp + rename), so a weak token's file left at 0644 does not keep its mode.
  writeFileDurably(file, token + '\n', 0o600);
  return { token, source: 'generated' };
}

/** Constant-time comparison, so the token cannot be guessed byte by byte from response times. */
export function tokenMatches(expected: string, given: unknown): boolean {
  // Anything but a non-empty string (a hostile frame may send [], {} or 12345) simply does not match.
  if (typeof given !== 'string' || given.length === 0) return false;
  const a = crypto.createHash('sha256').update(expected).digest();
  const b = crypto.createHash('sha256').update(given).digest();
  return crypto.timingSafeEqual(a, b);
}
