import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { spawnService, stopService } from '../helpers/service-process';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

// Two services on 127.88.2.x follow one nodes file; the nodes sit on 127.88.0.x (nothing answers there).
const TOKEN = 'nodes-file-sync-test-token-0123456789';
const HOSTS = ['127.88.2.1', '127.88.2.2'];
/** The bound: both instances follow an edit within 2 s. */
const FOLLOW_MS = 2000;

const node = (id: string, last: number, extra: Record<string, unknown> = {}) => ({ hostname: `${id}-host`, tailscale_ip: `127.88.0.${last}`, role: 'worker', cpu_cores: 2, memory_gb: 4, ...extra });

describe('fleet as code: --nodes-file-mode=sync', () => {
  let file: string;
  const services: Array<{ child: ChildProcess; url: string }> = [];
  const write = (nodes: Record<string, unknown>) => {
    // As an editor or git does it: a new file renamed over the old one.
    fs.writeFileSync(`${file}.tmp`, JSON.stringify({ nodes }, null, 2));
    fs.renameSync(`${file}.tmp`, file);
  };
  const api = async (base: string, p: string, init: { method?: 'GET' | 'POST' | 'PUT' | 'DELETE'; body?: unknown } = {}) => {
    const res = await request(base + p, { method: init.method ?? 'GET', headers: { authorization: `Bearer ${TOKEN}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) }, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
    const text = await res.body.text();
    return { status: res.statusCode, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const ids = async (base: string) => ((await api(base, '/cluster/nodes')).body.nodes as Array<{ id: string }>).map((n) => n.id).sort();
  const bothHave = (wanted: string[]) => Promise.all(services.map((s) => until(`${s.url} to list ${wanted.join(', ')}`, () => ids(s.url), (got) => JSON.stringify(got) === JSON.stringify(wanted), FOLLOW_MS, 50)));

  beforeAll(async () => {
    file = path.join(tempDir(), 'nodes.json');
    write({ 'n-1': node('n-1', 1), 'n-2': node('n-2', 2, { tags: ['db'] }) });
    for (const host of HOSTS) services.push(await spawnService({ dataDir: tempDir(), token: TOKEN, host, args: ['--nodes-file-path', file, '--nodes-file-mode', 'sync'] }));
  }, 60_000);

  // Waited for: a service still writing its data dir would race the temp dir's removal.
  afterAll(() => Promise.all(services.map((s) => stopService(s.child))));

  it('both instances start with the file, and follow an edit (added, changed, removed) within 2 s, each change in the event log', async () => {
    for (const s of services) expect(await ids(s.url)).toEqual(['n-1', 'n-2']);
    write({ 'n-2': node('n-2', 2, { tags: ['db', 'ssd'] }), 'n-3': node('n-3', 3) });
    await bothHave(['n-2', 'n-3']);
    for (const s of services) {
      expect(((await api(s.url, '/cluster/nodes/n-2')).body.tags as string[])).toEqual(['db', 'ssd']);
      const events = ((await api(s.url, '/cluster/events?limit=50')).body.events as Array<{ node: string | null; kind: string; to: string; reason: string }>).filter((e) => e.kind === 'nodes_file');
      expect(events.map((e) => [e.node, e.to])).toEqual(expect.arrayContaining([['n-1', 'added'], ['n-2', 'added'], ['n-3', 'added'], ['n-2', 'changed'], ['n-1', 'removed']]));
      expect(events.find((e) => e.node === 'n-2' && e.to === 'changed')!.reason).toBe('changed in nodes.json: tags');
    }
  });

  it('answers 409 naming the file to writes through the API, while mute and maintenance still work and survive edits', async () => {
    const [a] = services;
    for (const attempt of [
      api(a.url, '/cluster/nodes', { method: 'POST', body: { id: 'n-9', ...node('n-9', 9) } }),
      api(a.url, '/cluster/nodes/n-2', { method: 'PUT', body: { hostname: 'renamed' } }),
      api(a.url, '/cluster/nodes/n-2', { method: 'DELETE' }),
      api(a.url, '/cluster/import', { method: 'POST', body: { nodes: { 'n-9': node('n-9', 9) } } }),
    ]) {
      const res = await attempt;
      expect(res.status).toBe(409);
      expect(res.body.message).toContain(file);
    }
    expect((await api(a.url, '/cluster/nodes/n-2/mute', { method: 'PUT', body: { hours: 1 } })).status).toBe(200);
    expect((await api(a.url, '/cluster/nodes/n-3/maintenance', { method: 'PUT', body: { maintenance: true } })).status).toBe(200);
    write({ 'n-2': node('n-2', 2, { tags: ['db'] }), 'n-3': node('n-3', 3, { cpu_cores: 8 }) });
    await until('the edit applied', async () => (await api(a.url, '/cluster/nodes/n-3')).body.cpu_cores, (v) => v === 8, FOLLOW_MS, 50);
    expect((await api(a.url, '/cluster/nodes/n-2')).body.muted_until).toEqual(expect.any(String));
    expect((await api(a.url, '/cluster/nodes/n-3')).body.maintenance).toBe(true);
    expect(await api(a.url, '/cluster/nodes-file')).toMatchObject({ status: 200, body: { file, mode: 'sync', error: null } });
  });

  it('a malformed file, or one bad node, changes nothing and is reported; the next good version applies', async () => {
    fs.writeFileSync(file, '{"nodes": {"n-4": ');
    for (const s of services) {
      const status = await until('the broken file reported', () => api(s.url, '/cluster/nodes-file'), (r) => typeof r.body.error === 'string', FOLLOW_MS * 2, 50);
      expect(status.body.error).toContain('is not valid JSON');
      expect(status.body.error).not.toContain('n-4'); // the reason, never the file's content (viewers read the event log)
      expect(await ids(s.url)).toEqual(['n-2', 'n-3']);
    }
    write({ 'n-2': node('n-2', 2), 'n-4': node('n-4', 4, { role: 'captain' }) });
    for (const s of services) {
      const status = await until('the bad node reported', () => api(s.url, '/cluster/nodes-file'), (r) => String(r.body.error).includes('nodes.n-4.role'), FOLLOW_MS * 2, 50);
      expect(status.body.error).toContain('the nodes stay as they were');
      expect(await ids(s.url)).toEqual(['n-2', 'n-3']);
      const invalid = ((await api(s.url, '/cluster/events?limit=50')).body.events as Array<{ kind: string; to: string }>).filter((e) => e.kind === 'nodes_file' && e.to === 'invalid');
      expect(invalid.length).toBeGreaterThanOrEqual(2);
    }
    write({ 'n-2': node('n-2', 2), 'n-4': node('n-4', 4) });
    await bothHave(['n-2', 'n-4']);
    for (const s of services) expect((await api(s.url, '/cluster/nodes-file')).body.error).toBeNull();
  });

  // Issue 39, finding 6: the file is a hostile input too. A symlink to a FIFO (which would block a
  // read until someone writes to it) and a file past 16 MiB are refused, said, and change nothing,
  // while /health keeps answering; a symlink to a regular file is followed.
  it('refuses a FIFO behind a symlink and an oversized file without stalling, and follows a symlink to a regular file', async () => {
    const dir = path.dirname(file);
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    fs.renameSync(file, `${file}.good`);
    fs.symlinkSync(fifo, file);
    for (const s of services) {
      const status = await until('the FIFO refused', () => api(s.url, '/cluster/nodes-file'), (r) => String(r.body.error).includes('is a FIFO, not a regular file'), FOLLOW_MS * 2, 50);
      expect(status.body.error).toContain('the nodes stay as they were');
      const started = Date.now();
      expect((await request(`${s.url}/health`)).statusCode).toBe(200);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(await ids(s.url)).toEqual(['n-2', 'n-4']);
    }
    fs.unlinkSync(file);
    fs.writeFileSync(`${file}.tmp`, '{"nodes": {}, "pad": "' + 'x'.repeat(17 * 1024 * 1024) + '"}');
    fs.renameSync(`${file}.tmp`, file);
    for (const s of services) {
      await until('the oversized file refused', () => api(s.url, '/cluster/nodes-file'), (r) => String(r.body.error).includes('MiB, more than the 16 MiB a file may be'), FOLLOW_MS * 2, 50);
      expect(await ids(s.url)).toEqual(['n-2', 'n-4']);
    }
    fs.unlinkSync(file);
    fs.symlinkSync(`${file}.good`, file);
    fs.writeFileSync(`${file}.good`, JSON.stringify({ nodes: { 'n-5': node('n-5', 5) } }));
    await bothHave(['n-5']);
  });
});
