import { z } from 'zod';

/** What a token may do: viewer reads (no secrets), operator also acts on the monitor and containers, admin does everything. */
export const TOKEN_SCOPES = ['viewer', 'operator', 'admin'] as const;
export const TokenScopeSchema = z.enum(TOKEN_SCOPES, { error: 'must be viewer, operator or admin' });
export type TokenScope = z.infer<typeof TokenScopeSchema>;

/** Whether a token of scope `have` may do what needs `need`. */
export const scopeAllows = (have: TokenScope, need: TokenScope): boolean => TOKEN_SCOPES.indexOf(have) >= TOKEN_SCOPES.indexOf(need);

export const TokenCreateSchema = z.strictObject({
  name: z
    .string({ error: 'must be a string' })
    .min(1, { error: 'must not be empty', abort: true }) // one message for an empty name, not the pattern's too
    .max(64, { error: 'must be at most 64 characters' })
    .regex(/^[A-Za-z0-9][A-Za-z0-9 _.@:-]*$/, { error: 'must be letters, digits, spaces and _ . @ : -' }),
  scope: TokenScopeSchema,
  expires_at: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date and time' }).describe('When the token stops working: a time in the future (a past one is refused with 422)').optional(),
});
export type TokenCreate = z.infer<typeof TokenCreateSchema>;

export const TokenInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  scope: TokenScopeSchema,
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  expires_at: z.string().nullable(),
});
export type TokenInfo = z.infer<typeof TokenInfoSchema>;

/** The answer to a creation: the only time the secret is shown. */
export const TokenCreatedSchema = TokenInfoSchema.extend({ token: z.string() });
export const TokenListSchema = z.object({ tokens: z.array(TokenInfoSchema) });
export const TokenIdSchema = z.string().regex(/^tok_[A-Za-z0-9_-]{8,32}$/, { error: 'must be a token id (tok_…)' });
