// Start-up figures: spawn → first useful answer, for the stdio MCP server and the HTTP service.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';

const INIT = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } };
const INITIALIZED = { jsonrpc: '2.0', method: 'notifications/initialized' };
const LIST = { jsonrpc: '2.0', id: 2, method: 'tools/list' };

/**
 * Once answered, the child is killed (SIGKILL), or with `graceful` stopped by SIGTERM and awaited, so
 * that it saves its code cache as a user's stopped session does (bin/run-code-cached.mjs).
 */
function stop(child: ChildProcess, graceful: boolean, resolve: (ms: number) => void, ms: number): void {
  if (!graceful) {
    child.kill('SIGKILL');
    return resolve(ms);
  }
  child.once('exit', () => resolve(ms));
  child.kill('SIGTERM');
}

/**
 * Opens an MCP session over the child's stdio as a client does (initialize, initialized, tools/list)
 * and calls `listed` once tools/list is answered.
 */
export function whenToolsListed(child: ChildProcess, listed: () => void): void {
  onMessages(child, (message) => {
    if (message.id === 1) child.stdin!.write(JSON.stringify(INITIALIZED) + '\n' + JSON.stringify(LIST) + '\n');
    if (message.id === 2) listed();
  });
  child.stdin!.write(JSON.stringify(INIT) + '\n');
}

/** Each JSON-RPC message the child writes on stdout, one per line. */
function onMessages(child: ChildProcess, handle: (message: { id?: unknown }) => void): void {
  let buffer = '';
  child.stdout!.on('data', (chunk) => {
    buffer += chunk;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const message = JSON.parse(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
      handle(message);
    }
  });
}

/** Spawn → `tools/list` answered, as an MCP client does at every session start (ms). */
export function stdioReadyMs(command: string, args: string[], env: NodeJS.ProcessEnv = {}, graceful = false): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, ...env } });
    whenToolsListed(child, () => stop(child, graceful, resolve, performance.now() - started));
    child.on('error', reject);
    child.on('exit', (code, signal) => !graceful && signal !== 'SIGKILL' && reject(new Error(`${args.join(' ')} exited with ${code} before tools/list`)));
  });
}

/**
 * Spawn → the first call of `tool` answered, after the opening: what an agent waits for before its
 * first tool's result (the core may still be opening when tools/list is answered).
 */
export function stdioFirstCallMs(command: string, args: string[], tool: string, env: NodeJS.ProcessEnv = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, ...env } });
    onMessages(child, (message) => message.id === 3 && stop(child, false, resolve, performance.now() - started));
    whenToolsListed(child, () => child.stdin!.write(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: tool, arguments: {} } }) + '\n'));
    child.on('error', reject);
    child.on('exit', (code, signal) => signal !== 'SIGKILL' && reject(new Error(`${args.join(' ')} exited with ${code} before the call's answer`)));
  });
}

/** Spawn → first `GET path` answered on host:port (ms); polls every 2 ms. */
export function httpReadyMs(command: string, args: string[], host: string, port: number, urlPath: string, env: NodeJS.ProcessEnv = {}, graceful = false): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: 'ignore', env: { ...process.env, ...env } });
    let done = false;
    child.on('exit', (code, signal) => !done && signal !== 'SIGKILL' && reject(new Error(`${args.join(' ')} exited with ${code}`)));
    const poll = () => {
      const req = http.get({ host, port, path: urlPath, headers: { host: `${host}:${port}` } }, (res) => {
        res.resume();
        done = true;
        stop(child, graceful, resolve, performance.now() - started);
      });
      req.on('error', () => setTimeout(poll, 2));
    };
    poll();
  });
}
