import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { caller, TEST_TOKEN } from '../helpers/service';
import { call as callTool, httpMcpClient, text } from '../helpers/mcp-client';
import { tempDir } from '../helpers/temp-dir';
import { demoNodesFileOn } from '../helpers/demo-nodes';

// `npm run demo -- --headless` used as a person would: left running past node-07's scripted outage
// (down at 20 s, back at 80 s), with commands and metrics on demo nodes in between (REST and MCP).
// It used to die about 75 s in, when the metrics poll met a demo node's SSH port.
const RUN_MS = 112_000;
const ROOT = path.resolve(import.meta.dirname, '../..');
let child: ChildProcess | null = null;

afterAll(() => {
  child?.kill('SIGKILL');
});

describe('the demo, left running', () => {
  it(
    'stays up past the scripted recovery, answers commands and metrics on demo nodes, and logs the outage and recovery',
    async () => {
      const dataDir = tempDir();
      // The shipped demo fleet on its own loopback block: never the addresses of a person's running demo.
      const nodesFile = demoNodesFileOn(51, dataDir);
      let output = '';
      child = spawn(process.execPath, [path.join(ROOT, 'bin/mcp-orchestrator.mjs'), 'demo', '--headless', '--metrics-interval', '5'], {
        cwd: ROOT,
        env: { ...process.env, PORT: '0', DATA_DIR: dataDir, NODES_FILE_PATH: nodesFile, API_TOKEN: TEST_TOKEN, NODE_ENV: 'production' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
      let alive = true;
      void exited.then(() => (alive = false));
      child.stdout!.on('data', (chunk) => (output += chunk));
      child.stderr!.on('data', (chunk) => (output += chunk));
      const started = Date.now();
      while (!/Address:\s+(http:\/\/\S+)/.test(output)) {
        if (!alive) throw new Error(`the demo exited at start:\n${output}`);
        if (Date.now() - started > 60_000) throw new Error(`the demo did not start in 60 s:\n${output}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const url = /Address:\s+(http:\/\/\S+)/.exec(output)![1];
      const rest = caller(url);
      const mcp = await httpMcpClient(url, TEST_TOKEN);

      const commandOn = async (ids: string[]) => (await rest('POST', '/cluster/commands', { body: { node_ids: ids, command: 'uptime', timeout: 5 } })).body;
      let actions = 0;
      while (Date.now() - started < RUN_MS) {
        expect(alive, `the demo died:\n${output.slice(-3000)}`).toBe(true);
        expect((await rest('GET', '/health', { token: null })).status).toBe(200);
        // Commands get an honest "simulated" answer at once; metrics a clear 503; nothing hangs or crashes.
        const commandStarted = Date.now();
        const run = await commandOn(['node-01', 'node-02', 'node-07']);
        expect(Date.now() - commandStarted).toBeLessThan(6000);
        for (const result of run.results) {
          if (result.exit_code === 126) expect(result.stderr).toContain('simulated demo node');
          else expect(result.node_id).toBe('node-07'); // refused while node-07 is down
        }
        const metrics = await rest('GET', '/cluster/nodes/node-02/metrics');
        expect(metrics.status).toBe(503);
        expect(metrics.body.message).toContain('simulated demo node');
        expect(metrics.body).toMatchObject({ reason_code: 'metrics_shell_said', reason_params: { node: 'node-02', detail: expect.stringContaining('simulated demo node') } });
        const mcpMetrics = await callTool(mcp, 'get_metrics', { id: 'node-03' });
        expect(mcpMetrics.isError).toBe(true);
        expect(text(mcpMetrics)).toContain('simulated demo node');
        actions++;
        await new Promise((r) => setTimeout(r, 8000));
      }
      await mcp.close();
      expect(alive, `the demo died:\n${output.slice(-3000)}`).toBe(true);
      expect(actions).toBeGreaterThan(8);
      const events = (await rest('GET', '/cluster/events?limit=1000')).body.events as Array<{ node: string | null; kind: string; to: string | null }>;
      const node07 = events.filter((e) => e.node === 'node-07' && e.kind === 'transition').map((e) => e.to);
      expect(node07).toContain('unhealthy');
      expect(node07.slice(node07.indexOf('unhealthy'))).toContain('healthy');
      expect(events.filter((e) => e.kind === 'internal_error')).toEqual([]);
      console.log(`[demo-run] alive after ${Math.round((Date.now() - started) / 1000)} s, ${actions} rounds of commands + metrics; node-07: ${node07.join(' → ')}`);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    },
    RUN_MS + 90_000,
  );
});
