import { z } from 'zod';
import { openStore, setAside, type ConfLike, type StoreFactory, type StoreRecovery } from './json-store';

export interface ValidatedListOptions<T> {
  dataDir: string;
  factory: StoreFactory;
  onRecovery: (recovery: StoreRecovery) => void;
  /** The file's name in DATA_DIR (without .json) and the list's key in it. */
  configName: string;
  key: string;
  schema: z.ZodType<T>;
  /** What one entry is, in the recovery message ("alert channel", "peer"). */
  noun: string;
  /** How the message names an entry that does not validate (e.g. with its id). */
  describe?: (entry: unknown, index: number, error: z.ZodError) => string;
}

/**
 * A list kept in one owner-only DATA_DIR file, each entry checked against its schema: an entry that
 * does not validate (hand-edited, an older version) costs only itself: the file is copied aside and
 * reported, and the valid entries stay.
 */
export class ValidatedListStore<T> {
  readonly #conf: ConfLike;
  readonly #key: string;
  #entries: T[];

  constructor(options: ValidatedListOptions<T>) {
    const { conf, data } = openStore(options.factory, { cwd: options.dataDir, configName: options.configName }, options.onRecovery);
    this.#conf = conf;
    this.#key = options.key;
    const stored = z.object({ [options.key]: z.array(z.unknown()).default([]) }).safeParse(data);
    const entries = stored.success ? (stored.data[options.key] as unknown[]) : [];
    const parsed = entries.map((entry) => options.schema.safeParse(entry));
    this.#entries = parsed.flatMap((p) => (p.success ? [p.data] : []));
    const invalid = parsed.flatMap((p, i) => (p.success ? [] : [options.describe?.(entries[i], i, p.error) ?? `${options.noun} ${i + 1}`]));
    if (!stored.success) invalid.push(`"${options.key}" is not a list`);
    if (invalid.length > 0) {
      options.onRecovery(setAside(conf.path, `holds ${invalid.length} invalid ${options.noun}(s), left out (${invalid.join('; ')}); ${this.#entries.length} valid one(s) kept`, true));
      this.replace(this.#entries);
    }
  }

  all(): T[] {
    return this.#entries;
  }

  replace(entries: T[]): void {
    this.#conf.store = { [this.#key]: entries };
    this.#entries = entries;
  }
}
