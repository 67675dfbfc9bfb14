import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import { writeFileDurably } from '../util/durable-write';

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

/**
 * conf writes through `atomically`, which ignores a short write (a full disk) and renames the torn
 * file over the good one. Every store we open writes through writeFileDurably instead: the whole
 * file or an error (507) and the old file intact. electron-store is a Conf, so the shell uses this too.
 */
export function withDurableWrites<T extends ConfLike>(conf: T, mode = 0o600): T {
  const target = conf as unknown as { _write: (value: unknown) => void; _serialize: (value: unknown) => string; path: string };
  target._write = function (this: typeof target, value: unknown) {
    writeFileDurably(this.path, this._serialize(value), mode);
  };
  return conf;
}

export const confStoreFactory: StoreFactory = ({ cwd, configName }) =>
  withDurableWrites(new Conf<Record<string, unknown>>({
    cwd,
    configName,
    projectName: 'mcp-cloud-orchestrator',
    configFileMode: 0o600,
    clearInvalidConfig: false,
    accessPropertiesByDotNotation: false,
    serialize: (value) => JSON.stringify(value, null, 2),
  }));

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
