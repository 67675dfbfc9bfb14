import { describe, expect, it } from 'vitest';
import { cachedPassphrases } from '../../src/main/passphrase-cache';

// Issue 33, finding 8: a saved passphrase is decrypted once, not at every SSH connect, and one that no
// longer decrypts says to re-enter it.
describe('saved SSH passphrases', () => {
  it('decrypts once per saved value, again when it changes, and says what to do when it cannot', () => {
    const store = new Map<string, string>([['/k/a', Buffer.from('sealed-a').toString('base64')]]);
    let decrypts = 0;
    const read = cachedPassphrases({
      sealed: (k) => store.get(k),
      decrypt: (b) => {
        decrypts++;
        if (String(b) === 'from-another-keyring') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
        return `plain:${b}`;
      },
      available: () => true,
    });
    expect([read('/k/a'), read('/k/a'), read('/k/a')]).toEqual(['plain:sealed-a', 'plain:sealed-a', 'plain:sealed-a']);
    expect(decrypts).toBe(1);
    expect(read('/k/none')).toBeUndefined();
    store.set('/k/a', Buffer.from('sealed-a2').toString('base64'));
    expect(read('/k/a')).toBe('plain:sealed-a2');
    expect(decrypts).toBe(2);
    store.set('/k/b', Buffer.from('from-another-keyring').toString('base64'));
    expect(() => read('/k/b')).toThrow(/saved passphrase of \/k\/b cannot be decrypted.*re-enter the passphrase/);
  });
});
