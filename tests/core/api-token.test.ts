import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateApiToken, TOKEN_FILE } from '../../src/core/auth/api-token';
import { tempDir } from '../helpers/temp-dir';

describe('the generated API token', () => {
  it('replaces a weak token file with a new one of mode 0600, even when the old one was 0644 (issue 32, finding 14)', () => {
    const dir = tempDir();
    const file = path.join(dir, TOKEN_FILE);
    fs.writeFileSync(file, 'weak\n', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    const { token, source } = loadOrCreateApiToken(dir);
    expect(source).toBe('generated');
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(token);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateApiToken(dir)).toEqual({ token, source: 'file' });
  });
});
