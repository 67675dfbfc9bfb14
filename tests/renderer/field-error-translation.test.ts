// @vitest-environment happy-dom
import { afterAll, describe, expect, it } from 'vitest';
import { setupI18n } from '../../src/renderer/src/i18n/setup-i18n';
import { translateMessage } from '../../src/renderer/src/i18n/field-error-text';
import { fieldErrors } from '../../src/shared/errors';
import { TokenCreateSchema } from '../../src/shared/schemas/auth';
import { AlertChannelSchema } from '../../src/shared/schemas/alerts';
import { MonitorPeersSchema } from '../../src/shared/schemas/peers';
import { NodeSchema } from '../../src/shared/schemas/node';
import type { z } from 'zod';

// Issue 40, item 12: a field error in a Korean window, by the code the service and the shared schemas attach.
describe('field errors in the window\'s language', () => {
  afterAll(() => void setupI18n('en-US'));

  it('says them in Korean by code, and keeps a message it has no words for', () => {
    setupI18n('ko-KR');
    expect(translateMessage('must be one of a, b', 'one_of', { values: 'a, b' })).toBe('a, b 중 하나여야 합니다');
    expect(translateMessage('must be true or false', 'type_boolean', { expected: 'boolean' })).toBe('참 또는 거짓이어야 합니다');
    expect(translateMessage('must be at most 64 characters', 'string_max', { max: 64 })).toBe('64자 이하여야 합니다');
    const [empty] = fieldErrors(TokenCreateSchema.safeParse({ name: '', scope: 'viewer' }).error!);
    expect(translateMessage(empty.message, empty.code, empty.params)).toBe('비어 있으면 안 됩니다');
    expect(translateMessage('a message from somewhere else')).toBe('a message from somewhere else');
  });

  it('says the settings\' and node form\'s own rules in Korean: alert channels, peers, tokens, Docker hosts', () => {
    const refusals = (schema: z.ZodType, input: unknown) => fieldErrors(schema.safeParse(input).error!);
    const all = [
      ...refusals(AlertChannelSchema, { type: 'webhook', id: 'Ops Hook!', url: 'ftp://x' }),
      ...refusals(AlertChannelSchema, { type: 'ntfy', id: 'n', url: 'https://ntfy.example/t', tags: ['two words'] }),
      ...refusals(AlertChannelSchema, { type: 'email', id: 'e', host: 'smtp.example', from: 'not an address', to: [] }),
      ...refusals(MonitorPeersSchema, [{ url: 'ftp://peer', token: 'x'.repeat(16) }]),
      ...refusals(MonitorPeersSchema, [{ url: 'https://user:pw@peer.example', token: 'x'.repeat(16) }]),
      ...refusals(MonitorPeersSchema, [{ url: 'http://peer.example.com:8000', token: 'x'.repeat(16) }]),
      ...refusals(MonitorPeersSchema, [{ url: 'http://127.0.0.1:1', token: 'x'.repeat(16) }, { url: 'http://127.0.0.1:1', token: 'y'.repeat(16) }]),
      ...refusals(TokenCreateSchema, { name: 'alice<script>', scope: 'viewer' }),
      ...refusals(NodeSchema, { id: 'n1', hostname: 'n1', tailscale_ip: '127.0.0.1', docker: { enabled: true, via: 'local', host: 'docker.sock', swarm_node: 'has spaces!' } }),
    ];
    expect(all.length).toBeGreaterThanOrEqual(11);
    setupI18n('ko-KR');
    for (const e of all) {
      const said = translateMessage(e.message, e.code, e.params);
      expect(said, `${e.field}: ${e.message}`).toMatch(/[\uac00-\ud7a3]/);
      expect(said, `${e.field}: ${e.message}`).not.toMatch(/\b[A-Za-z]{2,}(?:\s+[A-Za-z]{2,}){2,}\b/);
    }
    setupI18n('en-US');
    for (const e of all) expect(translateMessage(e.message, e.code, e.params)).toBe(e.message);
  });

  it('reads the same as the service wrote it in English', () => {
    setupI18n('en-US');
    expect(translateMessage('must be more than 0', 'number_above', { min: 0 })).toBe('must be more than 0');
    expect(translateMessage('needs at least 2 entries', 'list_min', { min: 2 })).toBe('needs at least 2 entries');
  });
});
