import { describe, expect, it } from 'vitest';
import { argumentsDigest, canonicalJson, renderArguments } from '../../../src/core/mcp/action-arguments';

// Issue 39, finding 1: the person approves the call itself, every argument, bound by a digest.
describe('what a person is shown and what an answer is bound to', () => {
  it('renders every argument, nested ones by path, with invisible characters escaped', () => {
    const text = renderArguments({ id: 'n1', ssh: { user: 'root', port: 22 }, tags: ['a', 'b'], probes: [{ type: 'http', url: 'http://u:p@h/x' }], note: 'ok\u202Egnp.exe\nrm -rf /' }, 'person');
    expect(text.split('\n')).toEqual(['id: "n1"', 'ssh.user: "root"', 'ssh.port: 22', 'tags: ["a","b"]', 'probes[0].type: "http"', 'probes[0].url: "http://u:p@h/x"', 'note: "ok\\u202egnp.exe\\nrm -rf /"']);
    expect(renderArguments({}, 'person')).toBe('(no arguments)');
    expect(renderArguments({ env: { 'bad key': 'v' } }, 'person')).toBe('env["bad key"]: "v"');
  });

  it('masks values of secret-named keys for everyone, and every env value and URL credential for the audit', () => {
    const args = { env: { LD_PRELOAD: '/tmp/x.so', DB_PASSWORD: 'hunter2', API_KEY: 'k-123' }, ssh: { passphrase: 'pp' }, url: 'http://user:pw@h/' };
    expect(renderArguments(args, 'person').split('\n')).toEqual(['env.LD_PRELOAD: "/tmp/x.so"', 'env.DB_PASSWORD: [hidden: 7 characters]', 'env.API_KEY: [hidden: 5 characters]', 'ssh.passphrase: [hidden: 2 characters]', 'url: "http://user:pw@h/"']);
    const audit = renderArguments(args, 'audit');
    for (const secret of ['/tmp/x.so', 'hunter2', 'k-123', 'user:pw']) expect(audit).not.toContain(secret);
    expect(audit).toContain('env.LD_PRELOAD: [hidden: 9 characters]');
  });

  it('binds to the canonical arguments: key order does not matter, any value does', () => {
    expect(canonicalJson({ b: 1, a: { d: 1, c: 2 } })).toBe('{"a":{"c":2,"d":1},"b":1}');
    const digest = argumentsDigest('update_node', ['n1'], { id: 'n1', ssh: { user: 'op', key_path: '/k' } });
    expect(argumentsDigest('update_node', ['n1'], { ssh: { key_path: '/k', user: 'op' }, id: 'n1' })).toBe(digest);
    expect(argumentsDigest('update_node', ['n1'], { id: 'n1', ssh: { user: 'root', key_path: '/k' } })).not.toBe(digest);
    expect(argumentsDigest('update_node', ['n2'], { id: 'n1', ssh: { user: 'op', key_path: '/k' } })).not.toBe(digest);
    expect(argumentsDigest('add_node', ['n1'], { id: 'n1', ssh: { user: 'op', key_path: '/k' } })).not.toBe(digest);
  });
});
