export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  /** Linux only: which keyring backs safeStorage. */
  getSelectedStorageBackend?(): string;
}

/** The secrets the app keeps, each with what to do instead when it cannot be kept safely. */
const SECRETS = {
  passphrase: { what: 'the passphrase', instead: 'use an SSH agent, or start a keyring' },
  token: { what: "the watched service's token", instead: 'start a keyring, or open the service\'s web UI in a browser instead' },
} as const;

/**
 * Why a secret must not be stored, or null when it may. On Linux without a keyring, safeStorage
 * "encrypts" with a hard-coded key (backend basic_text): that is plain text in disguise.
 */
export function secretStorageRefusal(safeStorage: SafeStorageLike, platform: NodeJS.Platform, secret: keyof typeof SECRETS = 'passphrase'): string | null {
  const { what, instead } = SECRETS[secret];
  if (!safeStorage.isEncryptionAvailable()) return `The OS keychain is not available, so ${what} cannot be stored safely; ${instead}`;
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
    return `No keyring (GNOME Keyring, KWallet) is running, and without one Electron encrypts with a hard-coded key, so ${what} would be readable by anyone who can read the file; ${instead}`;
  }
  return null;
}
