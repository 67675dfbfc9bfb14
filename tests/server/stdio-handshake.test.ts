import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestService } from '../helpers/service';
import { tempDir } from '../helpers/temp-dir';

// `mcp` answers a client's opening from the record of an earlier session of the same build and
// settings, before its bundle is read (src/server/stdio-handshake); the real server then takes over
// and checks every answer given. These run the built command, as MCP clients do.

const BIN = path.resolve('bin/mcp-orchestrator.mjs');
const INITIALIZE = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'handshake-test', version: '1' } } };
const INITIALIZED = { jsonrpc: '2.0', method: 'notifications/initialized' };
const LIST = { jsonrpc: '2.0', id: 2, method: 'tools/list' };
const CALL = { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'cluster_status', arguments: {} } };
const LIST_AGAIN = { jsonrpc: '2.0', id: 4, method: 'tools/list' };

type Message = { id?: number; method?: string; result?: Record<string, unknown>; error?: unknown };

const running: Array<{ kill(): void }> = [];
afterAll(() => running.forEach((child) => child.kill()));

/** A session driven step by step: `answer(id)` waits for the answer to a request sent with `send` (undefined if the server exits first). */
function openSession(env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, 'mcp'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, HEALTH_CHECK_INTERVAL: '3600', ...env } });
  running.push(child);
  const messages: Message[] = [];
  const waiting = new Map<number, (message: Message | undefined) => void>();
  let buffer = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdout.on('data', (chunk) => {
    buffer += chunk;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const message = JSON.parse(buffer.slice(0, nl)) as Message;
      buffer = buffer.slice(nl + 1);
      messages.push(message);
      if (message.id !== undefined && message.method === undefined) waiting.get(message.id)?.(message);
    }
  });
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.on('error', () => resolve(null));
  });
  void exited.then(() => waiting.forEach((resolve) => resolve(undefined)));
  return {
    child,
    messages,
    exited,
    stderr: () => stderr,
    send: (...lines: object[]) => child.stdin.write(lines.map((m) => JSON.stringify(m) + '\n').join('')),
    answer: (id: number) => new Promise<Message | undefined>((resolve) => {
      const known = messages.find((m) => m.id === id && m.method === undefined);
      if (known || child.exitCode !== null) resolve(known);
      else waiting.set(id, resolve);
    }),
    end: () => child.stdin.end(),
  };
}

/** A session past its opening (initialize, initialized, tools/list answered). */
async function opened(env: Record<string, string>) {
  const opening = openSession(env);
  opening.send(INITIALIZE);
  await opening.answer(1);
  opening.send(INITIALIZED, LIST);
  await opening.answer(2);
  return opening;
}

/**
 * One session as a client opens it (initialize, initialized, tools/list), then a call and a second
 * tools/list; `before` lines go first. Answers every message the server wrote, in order.
 */
async function session(env: Record<string, string>, before: string[] = []): Promise<{ messages: Message[]; stderr: string }> {
  const run = openSession(env);
  run.child.stdin.write(before.join(''));
  run.send(INITIALIZE);
  const next: Array<[number, object[]]> = [[1, [INITIALIZED, LIST]], [2, [CALL]], [3, [LIST_AGAIN]]];
  for (const [id, lines] of next) {
    if (!(await run.answer(id))) break;
    run.send(...lines);
  }
  // The session ends as a client ends it; the record is written by then.
  if (await run.answer(4)) setTimeout(run.end, 100);
  await run.exited;
  return { messages: run.messages, stderr: run.stderr() };
}

const answer = (messages: Message[], id: number) => messages.filter((m) => m.id === id && m.method === undefined);
const toolNames = (message: Message | undefined) => ((message?.result?.tools ?? []) as Array<{ name: string }>).map((t) => t.name);

function recordFile(cacheDir: string): string {
  const name = fs.readdirSync(cacheDir).find((f) => f.endsWith('.handshake.json'));
  expect(name, 'a record was written').toBeDefined();
  return path.join(cacheDir, name!);
}

/** Adds a tool only the record knows of: seen by a client only if the record answered it. */
function plantMarker(file: string): void {
  const records = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const record of records) {
    const entry = record.exchange.find((e: { in: string }) => e.in.includes('"tools/list"'));
    const out = JSON.parse(entry.out);
    out.result.tools.push({ name: 'from_the_record', inputSchema: { type: 'object' } });
    entry.out = JSON.stringify(out);
  }
  fs.writeFileSync(file, JSON.stringify(records), { mode: 0o600 });
}

/** A data directory and a code cache of a test's own. */
const freshEnv = (): { DATA_DIR: string; MCO_CODE_CACHE_DIR: string } => ({ DATA_DIR: tempDir(), MCO_CODE_CACHE_DIR: path.join(tempDir(), 'cache') });

/** A first session's record, with a marker planted in it: a record that no longer fits. */
async function plantedRecord(): Promise<{ env: ReturnType<typeof freshEnv>; file: string }> {
  const env = freshEnv();
  await session(env);
  const file = recordFile(env.MCO_CODE_CACHE_DIR);
  plantMarker(file);
  return { env, file };
}

describe('the recorded opening of stdio MCP sessions', () => {
  it('answers a second session as the first was answered, once per request, and the core serves what follows', async () => {
    const env = freshEnv();
    const first = await session(env);
    const file = recordFile(env.MCO_CODE_CACHE_DIR);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const written = fs.statSync(file).mtimeMs;
    const second = await session(env);
    for (const run of [first, second]) {
      expect(run.messages.map((m) => m.id ?? m.method)).toEqual([1, 2, 3, 4]); // no answer twice, no list change
      expect(run.stderr).toBe('');
    }
    expect(second.messages[0]).toEqual(first.messages[0]);
    expect(second.messages[1]).toEqual(first.messages[1]);
    expect(toolNames(second.messages[1])).toHaveLength(31);
    expect(answer(second.messages, 3)[0].result).toMatchObject({ structuredContent: { total_nodes: 0 } });
    expect(fs.statSync(file).mtimeMs).toBe(written); // an opening the record already holds is not written again
    // Secrets among the inputs are not in it in clear: the inputs are a salted digest.
    const secrets = { API_TOKEN: 'planted-api-token-0123456789', SSH_KEY_PASSPHRASE: 'planted-passphrase-4242' };
    const withSecrets = { ...freshEnv(), ...secrets };
    await session(withSecrets);
    const text = fs.readFileSync(recordFile(withSecrets.MCO_CODE_CACHE_DIR), 'utf8');
    expect(text).toContain('"API_TOKEN"'); // covered by the digest
    for (const secret of Object.values(secrets)) expect(text).not.toContain(secret);
    expect(toolNames(answer((await session(withSecrets)).messages, 2)[0])).toHaveLength(31);
  }, 60_000);

  it('corrects a record that no longer fits: the client is told the list changed, then gets the real one, and the record is written anew', async () => {
    const { env } = await plantedRecord();
    const stale = await session(env);
    expect(toolNames(answer(stale.messages, 2)[0])).toContain('from_the_record'); // the record answered
    expect(stale.messages.map((m) => m.id ?? m.method)).toEqual([1, 2, 'notifications/tools/list_changed', 3, 4]);
    expect(toolNames(answer(stale.messages, 4)[0])).not.toContain('from_the_record');
    expect(stale.stderr).toContain('the recorded opening no longer fits (tools/list differs)');
    const next = await session(env);
    expect(toolNames(answer(next.messages, 2)[0])).not.toContain('from_the_record');
    expect(next.messages.map((m) => m.id ?? m.method)).toEqual([1, 2, 3, 4]);
  }, 60_000);

  it('answers nothing from a record made under other settings, nor from one another user could have written', async () => {
    const { env, file } = await plantedRecord();
    // Another setting (read-only hides every acting tool): the real server answers.
    const readOnly = await session({ ...env, MCP_READ_ONLY: 'true' });
    const tools = toolNames(answer(readOnly.messages, 2)[0]);
    expect(tools).not.toContain('from_the_record');
    expect(tools).not.toContain('add_node');
    expect(readOnly.messages.map((m) => m.id ?? m.method)).toEqual([1, 2, 3, 4]);
    // Turned off: nothing answered from it, nothing written.
    const off = { ...env, MCO_DISABLE_HANDSHAKE_RECORD: '1' };
    const before = fs.readFileSync(file, 'utf8');
    const unrecorded = await session(off);
    expect(toolNames(answer(unrecorded.messages, 2)[0])).not.toContain('from_the_record');
    expect(unrecorded.messages.map((m) => m.id ?? m.method)).toEqual([1, 2, 3, 4]);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    // Writable by others, or a symlink to a record: as if there were none.
    plantMarker(file);
    fs.chmodSync(file, 0o666);
    expect(toolNames(answer((await session(env)).messages, 2)[0])).not.toContain('from_the_record');
    const elsewhere = path.join(tempDir(), 'planted.json');
    fs.renameSync(file, elsewhere);
    fs.chmodSync(elsewhere, 0o600);
    plantMarker(elsewhere);
    fs.symlinkSync(elsewhere, file);
    expect(toolNames(answer((await session(env)).messages, 2)[0])).not.toContain('from_the_record');
  }, 90_000);

  it('leaves a client that opens otherwise to the real server: a line that is not JSON, an over-long line', async () => {
    const { env } = await plantedRecord();
    const garbled = await session(env, ['this is not JSON\n']);
    expect(garbled.messages.map((m) => m.id ?? m.method)).toEqual([1, 2, 3, 4]); // the SDK reports the line to its log, not to the client
    expect(toolNames(answer(garbled.messages, 2)[0])).not.toContain('from_the_record');
    expect(toolNames(answer(garbled.messages, 2)[0])).toHaveLength(31);
    // Over a mebibyte without a line end: the front stops reading it as an opening at once.
    const long = await session(env, [`{"jsonrpc":"2.0","method":"notifications/initialized","params":{"pad":"${'x'.repeat(1.5 * 1024 * 1024)}"}}\n`]);
    expect(toolNames(answer(long.messages, 2)[0])).not.toContain('from_the_record');
    expect(answer(long.messages, 3)).toHaveLength(1);
  }, 60_000);

  it('answers nothing from the record while another process owns the data directory: that owner answers, with its settings', async () => {
    const env = freshEnv();
    const owner = await startTestService({ DATA_DIR: env.DATA_DIR });
    try {
      await session(env);
    } finally {
      await owner.close();
    }
    // A bridged session writes no record: it is the owner's opening, not this command's.
    expect(fs.existsSync(env.MCO_CODE_CACHE_DIR) && fs.readdirSync(env.MCO_CODE_CACHE_DIR).some((f) => f.endsWith('.handshake.json'))).toBe(false);
    const own = await session(env); // nobody owns it now: this session runs the core and records
    expect(answer(own.messages, 3)).toHaveLength(1);
    plantMarker(recordFile(env.MCO_CODE_CACHE_DIR));
    const again = await startTestService({ DATA_DIR: env.DATA_DIR });
    try {
      const bridged = await session(env);
      expect(toolNames(answer(bridged.messages, 2)[0])).not.toContain('from_the_record');
      expect(bridged.messages.map((m) => m.id ?? m.method)).toEqual([1, 2, 3, 4]);
    } finally {
      await again.close();
    }
  }, 90_000);

  it('serves two sessions started at once on one data directory: one runs the core, the other reaches it through its socket', async () => {
    const env = freshEnv();
    // Without a record, then with one (both fronts answer, then both reach for the lock).
    for (const round of ['first starts', 'recorded']) {
      const both = await Promise.all([session(env), session(env)]);
      for (const run of both) {
        expect(run.messages.map((m) => m.id ?? m.method), `${round}: ${run.stderr}`).toEqual([1, 2, 3, 4]);
        expect(toolNames(answer(run.messages, 2)[0])).toHaveLength(31);
      }
    }
  }, 60_000);

  it('is never held up by a .env that is a FIFO: the start refuses it in one line', async () => {
    const cwd = tempDir();
    execFileSync('mkfifo', [path.join(cwd, '.env')]);
    const env = { ...process.env, ...freshEnv(), HEALTH_CHECK_INTERVAL: '3600' };
    const run = spawnSync(process.execPath, [BIN, 'mcp'], { cwd, env, input: JSON.stringify(INITIALIZE) + '\n', encoding: 'utf8', timeout: 20_000 });
    expect(run.signal, 'not waited on').toBeNull();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`error: ${path.join(cwd, '.env')} is not a regular file`);
    expect(run.stderr).toContain('.env: must be a regular file');
  }, 30_000);

  it('keeps serving a session that reached its core through the socket after its own client has left, then stops', async () => {
    const env = freshEnv();
    const owner = await opened(env); // its core is open, and its socket served
    const bridged = await opened(env);
    expect(toolNames(await bridged.answer(2))).toHaveLength(31);
    owner.end();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(owner.child.exitCode, 'the owner waits for the session it serves').toBeNull();
    bridged.send(CALL);
    expect((await bridged.answer(3))?.result).toMatchObject({ structuredContent: { total_nodes: 0 } });
    bridged.end();
    expect(await bridged.exited).toBe(0);
    expect(await owner.exited).toBe(0); // and then stops, its last session gone
    expect(owner.stderr() + bridged.stderr()).toBe('');
  }, 60_000);

  it('ends a bridged session when the process that owns the core is stopped, so its client can start another', async () => {
    const env = freshEnv();
    const owner = await opened(env);
    const bridged = openSession(env);
    bridged.send(INITIALIZE);
    await bridged.answer(1);
    owner.child.kill('SIGTERM');
    expect(await owner.exited).toBe(0);
    expect(await bridged.exited).toBe(0);
  }, 60_000);
});
