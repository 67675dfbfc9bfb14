import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';

/** What the registry needs of a store: `conf` in Node, `electron-store` (a Conf subclass) in the app. */
export interface ConfLike {
  store: Record<string, unknown>;
  readonly path: string;
}

export interface StoreOptions {
  cwd: string;
  configName: string;
}

export type StoreFactory = (options: StoreOptions) => ConfLike;

// conf writes through `atomically` (temp file, fsync, rename), so a write that returned is durable
// and a crash never leaves a half-written file.
export const confStoreFactory: StoreFactory = ({ cwd, configName }) =>
  new Conf<Record<string, unknown>>({
    cwd,
    configName,
    projectName: 'mcp-cloud-orchestrator',
    configFileMode: 0o600,
    clearInvalidConfig: false,
    accessPropertiesByDotNotation: false,
    serialize: (value) => JSON.stringify(value, null, 2),
  });

/** A store that keeps nothing on disk: benchmarks and soak runs measure the core, not the file system. */
export const memoryStoreFactory: StoreFactory = () => ({ store: {}, path: ':memory:' });

export interface StoreRecovery {
  file: string;
  moved_to: string;
  reason: string;
  at: string;
}

/** Moves a bad store file aside with a timestamp; the original bytes are kept, never deleted. */
export function setAside(file: string, reason: string, copy = false): StoreRecovery {
  const at = new Date().toISOString();
  const { dir, name, ext } = path.parse(file);
  const movedTo = path.join(dir, `${name}.corrupt-${at.replace(/[:.]/g, '-')}${ext}`);
  if (copy) fs.copyFileSync(file, movedTo);
  else fs.renameSync(file, movedTo);
  return { file, moved_to: movedTo, reason, at };
}

/**
 * Opens a store. A file that does not parse is moved aside and reported through `onRecovery`;
 * the store then starts empty, and the caller says so loudly.
 */
export function openStore(
  factory: StoreFactory,
  options: StoreOptions,
  onRecovery: (recovery: StoreRecovery) => void,
): { conf: ConfLike; data: Record<string, unknown> } {
  try {
    const conf = factory(options);
    return { conf, data: conf.store };
  } catch (error) {
    const file = path.join(options.cwd, `${options.configName}.json`);
    if (!fs.existsSync(file)) throw error;
    onRecovery(setAside(file, `could not be parsed: ${(error as Error).message}`));
    const conf = factory(options);
    return { conf, data: conf.store };
  }
}
