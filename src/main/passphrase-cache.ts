import { OrchestratorError } from '../shared/errors';

/**
 * Saved SSH passphrases, decrypted once: safeStorage.decryptString runs on the main thread and may
 * wait for a keyring prompt, so it must not run at every SSH connect. A ciphertext that no longer
 * decrypts (another keyring backend, a reset keychain) says what to do instead of failing SSH opaquely.
 */
export function cachedPassphrases(options: { sealed(keyPath: string): unknown; decrypt(sealed: Buffer): string; available(): boolean }): (keyPath: string) => string | undefined {
  const cache = new Map<string, { sealed: string; plain: string }>();
  return (keyPath) => {
    const sealed = options.sealed(keyPath);
    if (typeof sealed !== 'string' || !options.available()) return undefined;
    const hit = cache.get(keyPath);
    if (hit?.sealed === sealed) return hit.plain;
    let plain: string;
    try {
      plain = options.decrypt(Buffer.from(sealed, 'base64'));
    } catch (error) {
      throw new OrchestratorError('unavailable', `The saved passphrase of ${keyPath} cannot be decrypted by this system's keychain (${(error as Error).message}); re-enter the passphrase`, [
        { field: 'passphrase', message: 're-enter the passphrase' },
      ]);
    }
    cache.set(keyPath, { sealed, plain });
    return plain;
  };
}
