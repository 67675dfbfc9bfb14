import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { cacheFileFor, readPrivateFile, writePrivateFile } from '../../../bin/run-code-cached.mjs';

// An MCP client opens every stdio session with the same messages (initialize, initialized,
// tools/list), and while the build and the settings stay the same our answers do too. So the first
// session records that opening as the real server answered it; the next start with the same build
// and inputs answers it from the record before the bundle is even read (front.ts), and the real
// server, which opens meanwhile and is replayed the same messages, checks every answer the record
// gave (recording-transport.ts). The record is kept like the code cache: per installation and build,
// for this user alone.

/** Methods whose answer depends on the build, the settings and the session so far, never on the fleet. */
export const RECORDABLE_METHODS = new Set(['initialize', 'notifications/initialized', 'tools/list', 'prompts/list', 'resources/templates/list', 'server/discover', 'ping']);
/** The opening is short; a longer run of recordable messages is not an opening. */
export const MAX_EXCHANGES = 16;
/** Records per build: a few clients (each opens its own way) under a few sets of inputs. */
export const MAX_RECORDS = 4;
/** A longer line is no opening message: the record stops there and the real server bounds it. */
export const MAX_LINE_CHARS = 1 << 20;
/** Inputs besides the service's settings that decide what a start does: where the data lives, the mode. */
export const INPUT_ENV_BEYOND_SETTINGS = ['HOME', 'USERPROFILE', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'APPDATA', 'LOCALAPPDATA', 'NODE_ENV'];
const EXTENSION = '.handshake.json';

/** One message of the opening: `in` is the client's message without its id; `out` the answer without it. */
export interface Exchange {
  in: string;
  /** `{"result":…}` or `{"error":…}`; null for a notification. */
  out: string | null;
}

export interface HandshakeRecord {
  /** Random per record, so the digest says nothing about the settings it covers (some are secrets). */
  salt: string;
  /** The environment variables the digest covers. */
  keys: string[];
  /** sha256 of the salt, the arguments, the working directory, its .env and those variables. */
  digest: string;
  /** The data directory these inputs chose: a live owner there answers instead (a bridge). */
  dataDir: string;
  exchange: Exchange[];
}

/** What the front hands the real server (src/server/mcp-stdio.ts) when the bundle is loaded. */
export interface FrontHandoff {
  /** The built bundle the records belong to. */
  bundle: string;
  /** The records read at start (the recorder keeps the others when it writes). */
  records: HandshakeRecord[];
  /** This start's inputs, which the records are matched against and a new one is made under. */
  inputs: StartInputs;
  /** Everything read from stdin since the start when the front answered from a record, else absent (stdin is untouched). */
  input?: Readable;
  /** Requests the front answered: JSON of the id → the answer it gave. */
  answered: Map<string, string>;
}

const HANDOFF = Symbol.for('mcp-orchestrator.stdio-handshake');
type WithHandoff = typeof globalThis & { [HANDOFF]?: FrontHandoff };

export function leaveHandoff(handoff: FrontHandoff): void {
  (globalThis as WithHandoff)[HANDOFF] = handoff;
}

/** The front's handoff, once: absent when the bundle was started without the front (tests, `node out/cli/cli.cjs`). */
export function takeHandoff(): FrontHandoff | undefined {
  const handoff = (globalThis as WithHandoff)[HANDOFF];
  delete (globalThis as WithHandoff)[HANDOFF];
  return handoff;
}

const sha256 = (data: string | Uint8Array): string => crypto.createHash('sha256').update(data).digest('hex');

/** What decides a start's answers: the arguments, the working directory and its .env, the environment. */
export interface StartInputs {
  argv: string[];
  cwd: string;
  /** sha256 of the working directory's .env; null when there is none. */
  dotenv: string | null;
  env: NodeJS.ProcessEnv;
}

/** This start's inputs, its .env read once. */
export function currentInputs(env: NodeJS.ProcessEnv = process.env, argv = process.argv.slice(2), cwd = process.cwd()): StartInputs {
  let dotenv: string | null = null;
  try {
    const file = path.join(cwd, '.env');
    // Never waited on (a FIFO): the settings loader refuses what is not a regular file.
    dotenv = fs.statSync(file).isFile() ? sha256(fs.readFileSync(file)) : 'not a regular file';
  } catch {
    // none (or unreadable, which the settings loader meets the same way)
  }
  return { argv, cwd, dotenv, env };
}

/** The salted digest of the inputs over the given variables plus every MCO_* one set now. Front and recorder compute it alike. */
export function inputsDigest(inputs: StartInputs, salt: string, keys: string[]): { digest: string; keys: string[] } {
  const names = [...new Set([...keys, ...Object.keys(inputs.env).filter((k) => k.startsWith('MCO_'))])].sort();
  return { digest: sha256(JSON.stringify([salt, inputs.argv, inputs.cwd, inputs.dotenv, names.map((k) => [k, inputs.env[k] ?? null])])), keys: names };
}

/** Whether a record was made under these inputs. */
export const fitsInputs = (record: Pick<HandshakeRecord, 'salt' | 'keys' | 'digest'>, inputs: StartInputs): boolean => inputsDigest(inputs, record.salt, record.keys).digest === record.digest;

export const newSalt = (): string => crypto.randomBytes(16).toString('hex');

/** How a client's message is matched: everything but its id, and whether it had one. */
export function canonicalMessage(message: Record<string, unknown>): string {
  const { id, ...rest } = message;
  return JSON.stringify([id !== undefined, rest]);
}

/** A line of JSON-RPC as an object, or null. */
export function parseMessage(line: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Splits a byte stream into lines as the stdio transport does; `overflow` once a line passes the cap. */
export class LineSplitter {
  #decoder = new StringDecoder('utf8');
  #pending = '';
  overflow = false;

  constructor(private readonly maxLineChars = MAX_LINE_CHARS) {}

  push(chunk: Buffer | string): string[] {
    if (this.overflow) return [];
    this.#pending += typeof chunk === 'string' ? chunk : this.#decoder.write(chunk);
    const lines = this.#pending.split('\n');
    this.#pending = lines.pop()!;
    if (this.#pending.length > this.maxLineChars) this.overflow = true;
    return lines.map((line) => line.replace(/\r$/, '')).filter((line) => line.trim() !== '');
  }

  /** The start of a line not ended yet, handed over (and forgotten here). */
  takePending(): string {
    const pending = this.#pending;
    this.#pending = '';
    return pending;
  }
}

/** Where this bundle's records live (beside its code cache); undefined where there is no home for them. */
export const recordFileFor = (bundle: string): string | undefined => cacheFileFor(bundle, 'mcp', EXTENSION);

const isExchange = (e: unknown): e is Exchange =>
  typeof e === 'object' && e !== null && typeof (e as Exchange).in === 'string' && ((e as Exchange).out === null || typeof (e as Exchange).out === 'string');

const isRecord = (r: unknown): r is HandshakeRecord => {
  const x = r as HandshakeRecord;
  return typeof r === 'object' && r !== null && typeof x.salt === 'string' && typeof x.digest === 'string' && typeof x.dataDir === 'string'
    && Array.isArray(x.keys) && x.keys.every((k) => typeof k === 'string')
    && Array.isArray(x.exchange) && x.exchange.length <= MAX_EXCHANGES && x.exchange.every(isExchange);
};

/** The records in a file only this user could have written; none if it is missing, foreign or damaged. */
export function readRecords(file: string | undefined): HandshakeRecord[] {
  const data = file && readPrivateFile(file);
  if (!data) return [];
  try {
    const records: unknown = JSON.parse(data.toString('utf8'));
    return Array.isArray(records) ? records.filter(isRecord).slice(0, MAX_RECORDS) : [];
  } catch {
    return [];
  }
}

export function writeRecords(file: string, records: HandshakeRecord[]): boolean {
  return writePrivateFile(file, JSON.stringify(records.slice(0, MAX_RECORDS)), EXTENSION);
}
