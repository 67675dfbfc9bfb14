import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/app-core';
import { acquireDataDirLock, LOCK_FILE, ownStartIdentity, processStartIdentity, processStartTicks } from '../../src/core/registry/data-dir-lock';
import { AuditLog, MAX_AUDIT_FIELD } from '../../src/core/ssh/audit-log';
import { EventLog } from '../../src/core/monitor/event-log';
import { MonitorSettingsSchema } from '../../src/shared/schemas/settings';
import { OrchestratorError } from '../../src/shared/errors';
import { tempDir } from '../helpers/temp-dir';

// The storage findings of the hostile review (issue 13), each pinned by a test that failed before its fix.
const settings = MonitorSettingsSchema.parse({});
const CLI = path.resolve('bin/mcp-orchestrator.mjs');
const cli = (args: string[], dataDir: string) => spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8', timeout: 30_000 });

describe('hostile storage', () => {
  it.each([['an array', '[{"id":"x"}]'], ['null', 'null'], ['a string', '"nodes"']])('a registry file holding %s is set aside (mode 0600) and reported, never overwritten', (kind, text) => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'nodes.json'), text, { mode: 0o644 });
    const core = createCore({ dataDir: dir, settings, log: () => {} });
    try {
      expect(core.registry.recoveries).toHaveLength(1);
      expect(core.registry.recoveries[0].reason).toBe(`holds ${kind}, not a JSON object`);
      const aside = core.registry.recoveries[0].moved_to;
      expect(fs.readFileSync(aside, 'utf8')).toBe(text);
      expect(fs.statSync(aside).mode & 0o777).toBe(0o600);
      expect(core.eventLog.list().some((e) => e.kind === 'store_recovered')).toBe(true);
    } finally {
      void core.close();
    }
  });

  it('a corrupt host-keys.json is set aside and reported; the service starts', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'host-keys.json'), '{"pins": {"a": ', { mode: 0o600 });
    const core = createCore({ dataDir: dir, settings, log: () => {} });
    const recovered = core.eventLog.list().filter((e) => e.kind === 'store_recovered');
    expect(recovered).toHaveLength(1);
    expect(recovered[0].reason).toMatch(/host-keys\.json could not be parsed/);
    expect(fs.readdirSync(dir).some((f) => f.startsWith('host-keys.corrupt-'))).toBe(true);
    await core.close();
  });

  it('one invalid channel in alert-channels.json costs only itself: the valid ones stay, the file is copied aside and reported (issue 32, finding 15)', async () => {
    const dir = tempDir();
    const valid = { id: 'hook', type: 'webhook', url: 'http://127.0.0.1:9/hook', enabled: true };
    const invalid = { id: 'mail', type: 'email', host: 'smtp.example', from: 'not-an-address', to: [] };
    const text = JSON.stringify({ channels: [valid, invalid] });
    fs.writeFileSync(path.join(dir, 'alert-channels.json'), text, { mode: 0o600 });
    const core = createCore({ dataDir: dir, settings, log: () => {} });
    try {
      expect(core.alerts.list().channels.map((c) => c.channel.id)).toEqual(['hook']);
      const recovered = core.eventLog.list().filter((e) => e.kind === 'store_recovered');
      expect(recovered).toHaveLength(1);
      expect(recovered[0].reason).toMatch(/1 invalid alert channel\(s\), left out \(channel 2 \("mail"\): from .*; 1 valid one\(s\) kept/);
      const aside = fs.readdirSync(dir).find((f) => f.startsWith('alert-channels.corrupt-'))!;
      expect(fs.readFileSync(path.join(dir, aside), 'utf8')).toBe(text);
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'alert-channels.json'), 'utf8')).channels.map((c: { id: string }) => c.id)).toEqual(['hook']);
    } finally {
      await core.close();
    }
  });

  it('bad lines in events.jsonl do not break sequence numbers', () => {
    const dir = tempDir();
    const good = (seq: number) => JSON.stringify({ seq, at: new Date().toISOString(), node: null, kind: 'monitor_online', from: null, to: null, reason: 'x' });
    fs.writeFileSync(path.join(dir, 'events.jsonl'), [good(1), '{"seq":"abc"}', 'garbage', JSON.stringify({ seq: null }), good(2), '{"seq": 1e400}', ''].join('\n'));
    const log = new EventLog({ dataDir: dir });
    expect(log.list().map((e) => e.seq)).toEqual([1, 2]);
    expect(log.append({ node: null, kind: 'monitor_online', from: null, to: null, reason: 'next' }).seq).toBe(3);
  });

  it('a stale lock whose PID now belongs to another process does not block start-up', () => {
    const dir = tempDir();
    // PID 1 is alive, but it is not the process that wrote this lock (its start time differs).
    const initStart = processStartTicks(1);
    if (initStart === null) return; // no /proc: PID reuse cannot be told apart here
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: 1, hostname: os.hostname(), started_at: '2020-01-01T00:00:00Z', proc_start: initStart + 12345 }));
    const lock = acquireDataDirLock(dir);
    expect(lock.owner.pid).toBe(process.pid);
    lock.release();
    // The same PID with its real start time is the live owner, and is respected.
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: 1, hostname: os.hostname(), started_at: '2020-01-01T00:00:00Z', proc_start: initStart }));
    expect(() => acquireDataDirLock(dir)).toThrow(OrchestratorError);
  });

  it('off Linux (no /proc), a lock naming a live unrelated PID is told apart by the start time the OS reports', () => {
    const dir = tempDir();
    // As a lock written on macOS or Windows looks: an identity, no /proc ticks. PID 1 is alive.
    const real = processStartIdentity(1);
    expect(real, 'ps reports a start time, read as UTC').toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: 1, hostname: os.hostname(), started_at: '2020-01-01T00:00:00Z', identity: '1970-01-01T00:00:00.000Z' }));
    const lock = acquireDataDirLock(dir);
    expect(lock.owner.pid).toBe(process.pid);
    lock.release();
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: 1, hostname: os.hostname(), started_at: '2020-01-01T00:00:00Z', identity: real }));
    expect(() => acquireDataDirLock(dir)).toThrow(/in use by process 1/);
    // Issue 39, finding 17: ps is asked in UTC, so the zone this process runs in changes nothing.
    const zone = process.env.TZ;
    process.env.TZ = 'Asia/Seoul';
    try {
      expect(processStartIdentity(1, 'darwin')).toBe(real);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('writes its own start time with the lock, and it matches what the OS reports', () => {
    // What a macOS or Windows owner writes at once (computed in-process), and what ps says of it.
    const own = ownStartIdentity();
    const reported = processStartIdentity(process.pid, 'darwin');
    expect(Math.abs(Date.parse(own) - Date.parse(reported!))).toBeLessThanOrEqual(3000);
  });

  it('a store from a newer version stops start-up with one clear line, and the file is untouched', () => {
    const dir = tempDir();
    const text = JSON.stringify({ schema_version: 99, nodes: {} });
    fs.writeFileSync(path.join(dir, 'nodes.json'), text);
    const run = cli(['export'], dir);
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')[0]).toMatch(/^error: The node store's schema_version 99 is newer than this app understands/);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(fs.readFileSync(path.join(dir, 'nodes.json'), 'utf8')).toBe(text);
  });

  it('a read-only data dir at start-up is one clear line, not a stack', () => {
    if (process.getuid?.() !== 0) return;
    const mount = tempDir('mco-ro-');
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,ro', 'tmpfs', mount]);
    } catch {
      if (process.env.CI) throw new Error('cannot mount a read-only tmpfs');
      return;
    }
    try {
      const run = cli(['export'], mount);
      expect(run.status).toBe(1);
      expect(run.stderr.trim()).toMatch(/^error: EROFS on \/tmp\/mco-ro-\w+ \(\w+\).*Check DATA_DIR/);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    } finally {
      execFileSync('umount', ['-l', mount]);
    }
  });

  it('export FILE writes mode 0600, also over an existing 0644 file', () => {
    const dir = tempDir();
    const out = path.join(tempDir(), 'nodes-export.json');
    fs.writeFileSync(out, 'old', { mode: 0o644 });
    fs.chmodSync(out, 0o644);
    expect(cli(['export', out], dir).status).toBe(0);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toEqual({ nodes: {} });
  });

  it('the audit log is rotated by size, clips huge fields and reads only its tail', () => {
    const dir = tempDir();
    const audit = new AuditLog(dir, { maxBytes: 20_000 });
    for (let i = 0; i < 100; i++) audit.record({ actor: 'test', action: 'run_command', nodes: ['a'], detail: `command ${i} ${'x'.repeat(300)}`, outcome: 'ok' });
    const huge = audit.record({ actor: 'test', action: 'run_command', nodes: ['a'], detail: 'y'.repeat(100_000), outcome: 'ok' });
    expect(huge.detail.length).toBeLessThan(MAX_AUDIT_FIELD + 100);
    expect(fs.existsSync(path.join(dir, 'audit.1.jsonl'))).toBe(true);
    expect(fs.statSync(path.join(dir, 'audit.jsonl')).size).toBeLessThan(20_000 + MAX_AUDIT_FIELD + 1000);
    const tail = audit.list(3);
    expect(tail.map((e) => e.detail.slice(0, 11))).toEqual(['command 98 ', 'command 99 ', 'y'.repeat(11)]);
    // A log that cannot be written refuses the entry (the caller then does not act).
    const readOnly = new AuditLog(path.join(dir, 'no-such-dir'));
    expect(() => readOnly.record({ actor: 't', action: 'run_command', nodes: [], detail: '', outcome: '' })).toThrow(/Could not write .*audit\.jsonl/);
  });
});
