// @vitest-environment happy-dom
import { afterAll, describe, expect, it } from 'vitest';
import { setupI18n } from '../../src/renderer/src/i18n/setup-i18n';
import { translateMessage } from '../../src/renderer/src/i18n/field-error-text';
import { fieldErrors } from '../../src/shared/errors';
import { TokenCreateSchema } from '../../src/shared/schemas/auth';

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

  it('reads the same as the service wrote it in English', () => {
    setupI18n('en-US');
    expect(translateMessage('must be more than 0', 'number_above', { min: 0 })).toBe('must be more than 0');
    expect(translateMessage('needs at least 2 entries', 'list_min', { min: 2 })).toBe('needs at least 2 entries');
  });
});
