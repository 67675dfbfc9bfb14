import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/app-core';
import { MonitorSettingsSchema } from '../../src/shared/schemas/settings';
import { ServiceConfigSchema } from '../../src/shared/schemas/config';
import { caller, startTestService, TEST_TOKEN } from '../helpers/service';
import { sshdMissing, startSshdFleet } from '../helpers/sshd';
import { tempDir } from '../helpers/temp-dir';

// One test per item of the security review (SECURITY.md). Items proven in depth elsewhere are
// checked here again briefly, so this file is the checklist.
describe('security review', () => {
  describe('Electron checklist', () => {
    const main = fs.readFileSync('src/main/index.ts', 'utf8');
    const preload = fs.readFileSync('src/preload/index.ts', 'utf8');
    const html = fs.readFileSync('src/renderer/index.html', 'utf8');

    it('creates the window sandboxed, isolated and without Node', () => {
      const prefs = /webPreferences:\s*\{([^}]*)\}/.exec(main)?.[1] ?? '';
      expect(prefs).toMatch(/sandbox:\s*true/);
      expect(prefs).toMatch(/contextIsolation:\s*true/);
      expect(prefs).toMatch(/nodeIntegration:\s*false/);
      expect(prefs).not.toMatch(/webSecurity:\s*false/);
    });

    it('sets a strict CSP in the page', () => {
      const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toMatch(/unsafe-eval/);
    });

    it('denies navigation and new windows', () => {
      expect(main).toMatch(/setWindowOpenHandler\(\(\) => \(\{ action: 'deny' \}\)\)/);
      expect(main).toMatch(/will-navigate[\s\S]{0,120}isAppUrl\(url, appUrl\)[\s\S]{0,40}preventDefault/);
    });

    it('exposes one narrow object, never ipcRenderer, and validates senders (see tests/main/ipc.test.ts)', () => {
      expect(preload.match(/exposeInMainWorld\(/g)).toHaveLength(1);
      expect(preload).toMatch(/exposeInMainWorld\('api', api\)/);
      expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/);
      expect(fs.readFileSync('src/main/ipc.ts', 'utf8')).toMatch(/isTrustedSender\(event\.senderFrame/);
    });
  });

  describe('headless service', () => {
    it('binds loopback by default and refuses foreign Host/Origin, missing tokens and huge bodies', async () => {
      expect(ServiceConfigSchema.parse({}).HOST).toBe('127.0.0.1');
      const service = await startTestService();
      try {
        expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
        expect((await service.call('GET', '/cluster/status', { token: null })).status).toBe(401);
        expect((await service.call('GET', '/health', { headers: { host: 'attacker.example' } })).status).toBe(403);
        expect((await service.call('GET', '/cluster/status', { headers: { origin: 'https://attacker.example' } })).status).toBe(403);
        expect((await service.call('POST', '/cluster/import', { raw: JSON.stringify({ nodes: {}, pad: 'x'.repeat(3 * 1024 * 1024) }) })).status).toBe(413);
      } finally {
        await service.close();
      }
    });

    it('never writes the token or a passphrase to its logs or error answers', async () => {
      const dataDir = tempDir();
      const secret = 'super-secret-token-value-42';
      const child = spawn(process.execPath, [path.resolve('bin/mcp-orchestrator.mjs'), 'serve', '--port', '0', '--data-dir', dataDir, '--debug'], {
        env: { ...process.env, API_TOKEN: secret, SSH_KEY_PASSPHRASE: 'my-passphrase-99' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let logs = '';
      const url = await new Promise<string>((resolve) => {
        const onData = (chunk: Buffer) => {
          logs += chunk;
          const m = /Address:\s+(http:\/\/\S+)/.exec(logs);
          if (m) resolve(m[1]);
        };
        child.stdout!.on('data', onData);
        child.stderr!.on('data', onData);
      });
      const call = caller(url);
      const answers = [
        await call('GET', '/cluster/status', { token: secret }),
        await call('GET', '/cluster/status', { token: `${secret}-wrong` }),
        await call('POST', '/cluster/nodes', { token: secret, body: { id: 'x', token: secret } }),
        await call('GET', '/cluster/nodes/nope', { token: secret }),
        await call('GET', `/?token=${secret}`, { token: null, headers: { accept: 'text/html' } }), // the login URL
      ];
      await new Promise((r) => setTimeout(r, 300));
      child.kill('SIGTERM');
      expect(logs).toContain('"reqId"'); // debug request logging was on
      // API_TOKEN is the operator's own: not even the banner prints it (issue 32, finding 8).
      expect(logs).toContain(`Web UI:    ${url}/   (sign in with API_TOKEN)`);
      expect(logs).not.toContain(secret);
      expect(logs).not.toContain('my-passphrase-99');
      for (const answer of answers) expect(JSON.stringify(answer.body)).not.toContain(secret);
    });
  });

  describe.skipIf(sshdMissing)('SSH', () => {
    it('pins host keys and keeps a key passphrase out of every file', async () => {
      const fleet = await startSshdFleet(['127.46.0.1']);
      const dataDir = tempDir();
      try {
        const keyDir = tempDir();
        const key = path.join(keyDir, 'locked');
        execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'open-sesame-77', '-f', key]);
        fs.appendFileSync(path.join(fleet.dir, 'authorized_keys'), fs.readFileSync(`${key}.pub`));
        const core = createCore({ dataDir, settings: MonitorSettingsSchema.parse({}), ssh: { metricsIntervalMs: 0, passphraseFor: () => 'open-sesame-77' } });
        core.registry.create({ id: 'locked', hostname: 'locked', tailscale_ip: '127.46.0.1', role: 'worker', cpu_cores: 1, memory_gb: 1, ssh: { user: fleet.user, port: fleet.port, key_path: key } });
        const { results } = await core.ssh.run({ node_ids: ['locked'], command: 'echo unlocked' }, 'test');
        expect(results[0]).toMatchObject({ exit_code: 0, stdout: 'unlocked\n' });
        expect(core.ssh.hostKey('locked')?.fingerprints).toEqual([fleet.hostKeyFingerprint()]);
        await core.close();
        for (const file of fs.readdirSync(dataDir)) {
          const full = path.join(dataDir, file);
          if (fs.statSync(full).isFile()) expect(fs.readFileSync(full, 'utf8'), file).not.toContain('open-sesame-77');
        }
      } finally {
        await fleet.stop();
      }
    });
  });

  it('keeps the data directory 0700 and every file in it 0600', async () => {
    const service = await startTestService({ API_TOKEN: undefined });
    const dataDir = service.core.dataDir;
    await service.call('POST', '/cluster/nodes', { token: service.token, body: { id: 'perm', hostname: 'perm', tailscale_ip: '127.0.0.1', role: 'worker', cpu_cores: 1, memory_gb: 1 } });
    await service.call('POST', '/cluster/health-check', { token: service.token });
    await service.call('POST', '/cluster/health-check', { token: service.token }); // second failure: an event is logged
    await service.call('DELETE', '/cluster/nodes/perm/host-key', { token: service.token });
    const files = fs.readdirSync(dataDir);
    expect(files).toEqual(expect.arrayContaining(['api-token', 'nodes.json', 'events.jsonl', 'audit.jsonl', 'owner.lock', 'mcp.sock']));
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
    for (const file of files) expect((fs.statSync(path.join(dataDir, file)).mode & 0o777).toString(8), file).toBe('600');
    await service.close();
    expect(TEST_TOKEN).not.toBe(service.token);
  });
});
