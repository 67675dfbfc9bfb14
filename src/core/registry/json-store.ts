import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import { storageError, writeFileDurably } from '../util/durable-write';

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
  fs.chmodSync(movedTo, 0o600); // the set-aside copy holds the same data: owner only, whatever the original was
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
  const file = path.join(options.cwd, `${options.configName}.json`);
  // Valid JSON that is not an object (an array, null, a string) would be read as empty and then
  // overwritten by the next write: it is as corrupt as a file that does not parse.
  const notAnObject = readTopLevelKind(file);
  if (notAnObject) onRecovery(setAside(file, `holds ${notAnObject}, not a JSON object`));
  try {
    const conf = factory(options);
    return { conf, data: conf.store };
  } catch (error) {
    if (!fs.existsSync(file)) throw error;
    if ((error as NodeJS.ErrnoException).code && ['EROFS', 'EACCES', 'EPERM', 'ENOSPC'].includes((error as NodeJS.ErrnoException).code!)) throw storageError(file, error);
    onRecovery(setAside(file, `could not be parsed: ${(error as Error).message}`));
    const conf = factory(options);
    return { conf, data: conf.store };
  }
}

/** 'an array', 'null', … when the file is valid JSON but not an object; null otherwise. */
function readTopLevelKind(file: string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null; // missing, or not JSON: the factory reports that
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return null;
  return Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
}
