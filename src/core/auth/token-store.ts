import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { OrchestratorError } from '../../shared/errors';
import { z } from 'zod';
import { TokenInfoSchema, type TokenCreate, type TokenInfo, type TokenScope } from '../../shared/schemas/auth';
import { setAside, type StoreRecovery } from '../registry/json-store';
import { Emitter } from '../util/emitter';
import { writeFileDurably } from '../util/durable-write';
import type { AuditLog } from '../ssh/audit-log';

export const TOKENS_FILE = 'tokens.json';
/** setTimeout's longest delay; a later expiry is re-armed when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Last use is informational: written at most this often. */
const LAST_USED_FLUSH_MS = 10_000;

interface StoredToken extends TokenInfo {
  /** SHA-256 of the secret, hex: the secret itself is never kept. */
  hash: string;
}

/** tokens.json as we write it; anything else is moved aside. */
const StoredTokensSchema = z.object({ tokens: z.array(TokenInfoSchema.extend({ hash: z.string().regex(/^[0-9a-f]{64}$/) })) });
const NOT_JSON = Symbol('not JSON');
const parseOrNotJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
};

const hashOf = (secret: string): string => crypto.createHash('sha256').update(secret).digest('hex');

/**
 * Scoped API tokens beside the admin token (DATA_DIR/api-token or API_TOKEN): kept hashed in
 * DATA_DIR/tokens.json (0600, written durably at each change), the secret shown once at creation.
 */
export class TokenStore {
  readonly events = new Emitter<{ revoked: TokenInfo }>();
  readonly #file: string;
  readonly #audit: AuditLog | null;
  readonly #byHash = new Map<string, StoredToken>();
  #flush: NodeJS.Timeout | null = null;

  /** A tokens.json that cannot be read as tokens is moved aside and reported (`onRecovery`); the store starts empty, the admin token still works. */
  constructor(dataDir: string, audit: AuditLog | null = null, onRecovery: (recovery: StoreRecovery) => void = () => {}) {
    this.#audit = audit;
    this.#file = path.join(dataDir, TOKENS_FILE);
    let text: string;
    try {
      text = fs.readFileSync(this.#file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new OrchestratorError('internal_error', `Cannot read ${this.#file}: ${(error as Error).message}`); // unreadable (permissions): not ours to move
    }
    const json = parseOrNotJson(text);
    const parsed = StoredTokensSchema.safeParse(json);
    if (!parsed.success) {
      const why = json === NOT_JSON ? 'could not be parsed as JSON' : `does not hold tokens (${parsed.error.issues[0]?.path.join('.') || '(root)'}: ${parsed.error.issues[0]?.message})`;
      onRecovery(setAside(this.#file, `${why}; its scoped tokens no longer open anything, the admin token still works`));
      return;
    }
    for (const token of parsed.data.tokens) this.#byHash.set(token.hash, token as StoredToken);
  }

  /** A new token; `actor` (who created it) goes to the audit log with its name, scope and id. */
  create(request: TokenCreate, actor: string): TokenInfo & { token: string } {
    if (request.expires_at && Date.parse(request.expires_at) <= Date.now()) {
      throw new OrchestratorError('validation_error', 'Invalid token — expires_at is in the past', [{ field: 'expires_at', message: 'must be in the future' }]);
    }
    if ([...this.#byHash.values()].some((t) => t.name === request.name)) {
      throw new OrchestratorError('conflict', `A token named "${request.name}" exists; revoke it first or choose another name`, [{ field: 'name', message: 'already exists' }]);
    }
    const secret = `mco_${crypto.randomBytes(32).toString('base64url')}`;
    const stored: StoredToken = {
      id: `tok_${crypto.randomBytes(9).toString('base64url')}`,
      name: request.name,
      scope: request.scope,
      created_at: new Date().toISOString(),
      last_used_at: null,
      expires_at: request.expires_at ? new Date(request.expires_at).toISOString() : null,
      hash: hashOf(secret),
    };
    this.#audit?.record({ actor, action: 'token_create', nodes: [], detail: describe(stored), outcome: 'ok' });
    this.#byHash.set(stored.hash, stored);
    this.#save();
    return { ...info(stored), token: secret };
  }

  list(): TokenInfo[] {
    return [...this.#byHash.values()].map(info).sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  revoke(id: string, actor: string): TokenInfo {
    const stored = this.#byId(id);
    if (!stored) throw new OrchestratorError('not_found', `No token with id "${id}"`, [{ field: 'id', message: 'no such token' }]);
    this.#audit?.record({ actor, action: 'token_revoke', nodes: [], detail: describe(stored), outcome: 'ok' });
    this.#byHash.delete(stored.hash);
    this.#save();
    this.events.emit('revoked', info(stored));
    return info(stored);
  }

  /** The token a secret belongs to, if it is known and not expired; its last use is noted. */
  verify(secret: unknown): { id: string; name: string; scope: TokenScope; expires_at: string | null } | null {
    if (typeof secret !== 'string' || !secret.startsWith('mco_')) return null;
    const stored = this.#byHash.get(hashOf(secret)); // a hash lookup: nothing to learn from timing
    if (!stored || (stored.expires_at && Date.parse(stored.expires_at) <= Date.now())) return null;
    stored.last_used_at = new Date().toISOString();
    this.#flush ??= setTimeout(() => ((this.#flush = null), this.#save()), LAST_USED_FLUSH_MS).unref();
    return { id: stored.id, name: stored.name, scope: stored.scope, expires_at: stored.expires_at };
  }

  /** Still valid now (not revoked, not expired). */
  isValid(id: string): boolean {
    const stored = this.#byId(id);
    return Boolean(stored && !(stored.expires_at && Date.parse(stored.expires_at) <= Date.now()));
  }

  /**
   * Calls `end` once, the moment the token is revoked or expires: what an open socket or session of
   * the token registers, so that neither outlives it. Returns the unregister.
   */
  watch(id: string, end: () => void): () => void {
    let timer: NodeJS.Timeout | null = null;
    const finish = () => {
      stop();
      end();
    };
    const off = this.events.on('revoked', (token) => token.id === id && finish());
    const arm = () => {
      const expires = this.#byId(id)?.expires_at;
      if (!this.isValid(id)) return finish();
      if (expires) timer = setTimeout(arm, Math.min(Date.parse(expires) - Date.now(), MAX_TIMER_MS)).unref();
    };
    const stop = () => {
      off();
      if (timer) clearTimeout(timer);
    };
    arm();
    return stop;
  }

  close(): void {
    if (this.#flush) {
      clearTimeout(this.#flush);
      this.#flush = null;
      this.#save();
    }
  }

  #byId(id: string): StoredToken | undefined {
    return [...this.#byHash.values()].find((t) => t.id === id);
  }

  #save(): void {
    writeFileDurably(this.#file, JSON.stringify({ tokens: [...this.#byHash.values()] }, null, 2) + '\n', 0o600);
  }
}

const describe = (token: TokenInfo) => `${token.name} (${token.scope}, ${token.id})`;
const info = ({ hash: _hash, ...rest }: StoredToken): TokenInfo => ({ ...rest });
