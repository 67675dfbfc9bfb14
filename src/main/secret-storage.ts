export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  /** Linux only: which keyring backs safeStorage. */
  getSelectedStorageBackend?(): string;
}

/**
 * Why a secret must not be stored, or null when it may. On Linux without a keyring, safeStorage
 * "encrypts" with a hard-coded key (backend basic_text): that is plain text in disguise.
 */
export function secretStorageRefusal(safeStorage: SafeStorageLike, platform: NodeJS.Platform): string | null {
  if (!safeStorage.isEncryptionAvailable()) return 'The OS keychain is not available, so the passphrase cannot be stored safely; use an SSH agent instead';
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
    return 'No keyring (GNOME Keyring, KWallet) is running, and without one Electron encrypts with a hard-coded key, so the passphrase would be readable by anyone who can read the file; use an SSH agent or start a keyring';
  }
  return null;
}
