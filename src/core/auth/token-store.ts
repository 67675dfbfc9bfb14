import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { OrchestratorError } from '../../shared/errors';
import type { TokenCreate, TokenInfo, TokenScope } from '../../shared/schemas/auth';
import { Emitter } from '../util/emitter';
import { writeFileDurably } from '../util/durable-write';

export const TOKENS_FILE = 'tokens.json';
/** Last use is informational: written at most this often. */
const LAST_USED_FLUSH_MS = 10_000;

interface StoredToken extends TokenInfo {
  /** SHA-256 of the secret, hex: the secret itself is never kept. */
  hash: string;
}

const hashOf = (secret: string): string => crypto.createHash('sha256').update(secret).digest('hex');

/**
 * Scoped API tokens beside the admin token (DATA_DIR/api-token or API_TOKEN): kept hashed in
 * DATA_DIR/tokens.json (0600, written durably at each change), the secret shown once at creation.
 */
export class TokenStore {
  readonly events = new Emitter<{ revoked: TokenInfo }>();
  readonly #file: string;
  readonly #byHash = new Map<string, StoredToken>();
  #flush: NodeJS.Timeout | null = null;

  constructor(dataDir: string) {
    this.#file = path.join(dataDir, TOKENS_FILE);
    let raw: { tokens?: StoredToken[] } = {};
    try {
      raw = JSON.parse(fs.readFileSync(this.#file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new OrchestratorError('internal_error', `Cannot read ${this.#file}: ${(error as Error).message}`);
    }
    for (const token of raw.tokens ?? []) if (typeof token?.hash === 'string') this.#byHash.set(token.hash, token);
  }

  create(request: TokenCreate): TokenInfo & { token: string } {
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
    this.#byHash.set(stored.hash, stored);
    this.#save();
    return { ...info(stored), token: secret };
  }

  list(): TokenInfo[] {
    return [...this.#byHash.values()].map(info).sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  revoke(id: string): TokenInfo {
    const stored = [...this.#byHash.values()].find((t) => t.id === id);
    if (!stored) throw new OrchestratorError('not_found', `No token with id "${id}"`, [{ field: 'id', message: 'no such token' }]);
    this.#byHash.delete(stored.hash);
    this.#save();
    this.events.emit('revoked', info(stored));
    return info(stored);
  }

  /** The token a secret belongs to, if it is known and not expired; its last use is noted. */
  verify(secret: unknown): { id: string; name: string; scope: TokenScope } | null {
    if (typeof secret !== 'string' || !secret.startsWith('mco_')) return null;
    const stored = this.#byHash.get(hashOf(secret)); // a hash lookup: nothing to learn from timing
    if (!stored || (stored.expires_at && Date.parse(stored.expires_at) <= Date.now())) return null;
    stored.last_used_at = new Date().toISOString();
    this.#flush ??= setTimeout(() => ((this.#flush = null), this.#save()), LAST_USED_FLUSH_MS).unref();
    return { id: stored.id, name: stored.name, scope: stored.scope };
  }

  /** Still valid now (not revoked, not expired): open sockets and sessions ask before each use. */
  isValid(id: string): boolean {
    const stored = [...this.#byHash.values()].find((t) => t.id === id);
    return Boolean(stored && !(stored.expires_at && Date.parse(stored.expires_at) <= Date.now()));
  }

  close(): void {
    if (this.#flush) {
      clearTimeout(this.#flush);
      this.#flush = null;
      this.#save();
    }
  }

  #save(): void {
    writeFileDurably(this.#file, JSON.stringify({ tokens: [...this.#byHash.values()] }, null, 2) + '\n', 0o600);
  }
}

const info = ({ hash: _hash, ...rest }: StoredToken): TokenInfo => ({ ...rest });
