import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/until';
import { dockerLabMissing, labTest, startDockerLab, type DockerLab } from '../helpers/docker-lab';
import { sshdMissing, startSshdFleet, type SshdFleet } from '../helpers/sshd';
import { startTestService, TEST_TOKEN } from '../helpers/service';
import { call, httpMcpClient, inMemoryMcpClient, text } from '../helpers/mcp-client';
import { chromiumMissing, launchChromium, screenshotPath } from '../helpers/browser';

// Workloads on a real three-node Swarm (issue 24), and two Docker nodes outside it: dockerd daemons in
// network namespaces, reached over real sshd on loopback (127.75.0.x), each address's SSH session
// pointing DOCKER_HOST at its daemon.
const IP = (i: number) => `127.75.0.${i}`;
const SSH_PORT = 2275;

let lab: DockerLab;
let fleet: SshdFleet;
let service: Awaited<ReturnType<typeof startTestService>>;
let labUnavailable: string | null = null;
const labIt = labTest(() => labUnavailable);


type Task = { node_id: string | null; state: string; desired_state: string; error: string | null; exit_code: number | null };
const get = async (name: string) => (await service.call('GET', `/cluster/services/${name}`)).body;
const runningOn = (view: { tasks: Task[] }) => view.tasks.filter((t) => t.state === 'running').map((t) => t.node_id).sort();
const remove = (name: string) => service.call('DELETE', `/cluster/services/${name}`);
const labels = async (i: number) => JSON.parse(await lab.docker(0, 'node', 'inspect', `lab-node${i}`, '--format', '{{json .Spec.Labels}}')) as Record<string, string>;

describe.skipIf(dockerLabMissing || sshdMissing)('workloads on Docker Swarm', () => {
  beforeAll(async () => {
    try {
      lab = await startDockerLab(5, 'mcowl', 3);
    } catch (error) {
      labUnavailable = (error as Error).message;
      console.warn(`[skip] Swarm workload tests: ${labUnavailable}`);
      return;
    }
    fleet = await startSshdFleet([1, 2, 3, 4, 5].map(IP), SSH_PORT, { extraConfig: lab.sockets.flatMap((socket, i) => [`Match LocalAddress ${IP(i + 1)}`, `  SetEnv DOCKER_HOST=unix://${socket}`]) });
    if (process.getuid?.() === 0) execFileSync('usermod', ['-aG', 'docker', fleet.user]);
    // No background metrics: placement then reads the declared sizes, whatever the machine's load.
    service = await startTestService({ SSH_KEY_PATH: fleet.clientKey, MCP_COMMAND_POLICY: 'deny', METRICS_INTERVAL: 86_400 });
    const ssh = { user: fleet.user, port: SSH_PORT };
    for (const [i, [id, role]] of ([['mgr', 'master'], ['w1', 'worker'], ['w2', 'worker']] as const).entries()) {
      service.core.registry.create({ id, hostname: `lab-node${i + 1}`, tailscale_ip: IP(i + 1), role, cpu_cores: 2, memory_gb: 4, ssh, docker: { enabled: true }, maintenance: true });
    }
    // Outside the swarm, probed (placement takes healthy nodes only): s2 declares more CPUs than s1.
    for (const [i, id, cpus] of [[4, 's1', 2], [5, 's2', 3]] as const) {
      service.core.registry.create({ id, hostname: `solo-${id}`, tailscale_ip: IP(i), role: 'worker', cpu_cores: cpus, memory_gb: 4, ssh, docker: { enabled: true }, probes: [{ type: 'tcp', port: SSH_PORT }] });
      await service.core.monitor.checkOne(id);
    }
  }, 180_000);

  afterAll(async () => {
    await service?.close();
    await fleet?.stop();
    await lab?.stop();
  }, 60_000);

  labIt('places three replicas reserving 1.5 CPUs one per node, and shows a fourth as pending with Swarm\'s reason', async () => {
    const deployed = await service.call('POST', '/cluster/services', { body: { name: 'cpu', image: 'mco/busybox:lab', command: ['sleep', '100000'], replicas: 3, reservations: { cpus: 1.5, memory_mb: 64 } } });
    expect(deployed.status).toBe(201);
    expect(deployed.body).toMatchObject({ name: 'cpu', mode: 'replicated', desired: 3, reservations: { cpus: 1.5, memory_mb: 64 }, command: ['sleep', '100000'] });
    const running = await until('3 cpu tasks running', () => get('cpu'), (v) => v.running === 3);
    expect(runningOn(running)).toEqual(['mgr', 'w1', 'w2']);

    const scaled = await service.call('PATCH', '/cluster/services/cpu', { body: { replicas: 4 } });
    expect(scaled.status).toBe(200);
    const pending = await until('a pending task with its reason', () => get('cpu'), (v) => v.pending === 1 && v.pending_reason?.swarm != null);
    expect(pending).toMatchObject({ desired: 4, running: 3, pending: 1 });
    expect(pending.pending_reason.swarm).toMatch(/no suitable node \(insufficient resources on 3 nodes\)/);
    // And per node, why none takes it (the plan's reasons for the spec, now).
    expect(pending.pending_reason.nodes.filter((n: { reasons: Array<{ code: string }> }) => n.reasons.some((r) => r.code === 'insufficient_cpu')).map((n: { id: string }) => n.id).sort()).toEqual(['mgr', 'w1', 'w2']);
    const listed = (await service.call('GET', '/cluster/services')).body;
    expect(listed).toMatchObject({ manager_node_id: 'mgr', count: 1, services: [{ name: 'cpu', pending: 1, pending_reason: { swarm: expect.stringMatching(/insufficient resources/) } }] });
    const agent = await inMemoryMcpClient(service.core);
    try {
      const viaMcp = (await call(agent, 'list_services')).structuredContent as { services: Array<{ name: string; pending: number; pending_reason: { swarm: string }; tasks: Array<{ state: string; error: string | null }> }> };
      expect(viaMcp.services[0]).toMatchObject({ name: 'cpu', pending: 1, pending_reason: { swarm: expect.stringMatching(/no suitable node \(insufficient resources on 3 nodes\)/) } });
      expect(viaMcp.services[0].tasks.find((t) => t.state === 'pending')?.error).toMatch(/insufficient resources/);
    } finally {
      await agent.close();
    }

    expect(await remove('cpu')).toMatchObject({ status: 200, body: { removed: 'cpu', mode: 'replicated' } });
    expect(await service.call('GET', '/cluster/services/cpu')).toMatchObject({ status: 404, body: { details: [{ field: 'name', message: 'no such service' }] } });
    const audit = (await service.call('GET', '/cluster/audit')).body.entries.filter((e: { action: string }) => e.action.startsWith('service_'));
    expect(audit.map((e: { action: string; outcome: string }) => `${e.action} ${e.outcome}`)).toEqual(['service_deploy requested', 'service_deploy ok', 'service_scale requested', 'service_scale ok', 'service_remove requested', 'service_remove ok']);
  }, 90_000);

  labIt('places by role and by tag through Swarm labels that follow our registry', async () => {
    service.core.registry.update('w2', { role: 'storage', tags: ['ssd', 'Zone:eu/1'] });
    await until('w2 labelled', () => labels(3), (l) => l['mco.tag.ssd'] === 'true' && l['mco.tag._5aone_3aeu_2f1'] === 'true' && l['mco.role'] === 'storage');
    expect((await labels(1))['mco.role']).toBe('master');

    const byTag = await service.call('POST', '/cluster/services', { body: { name: 'ssd', image: 'mco/busybox:lab', command: ['sleep', '100000'], replicas: 2, placement: { tags: ['ssd'] } } });
    expect(byTag.status).toBe(201);
    expect(runningOn(await until('2 ssd tasks', () => get('ssd'), (v) => v.running === 2))).toEqual(['w2', 'w2']);
    // A tag with capitals, ':' and '/' is placed by the same escaped key its label is written under, and reads back as written (issue 39, finding 11).
    const zoned = await service.call('POST', '/cluster/services', { body: { name: 'zoned', image: 'mco/busybox:lab', command: ['sleep', '100000'], replicas: 1, placement: { tags: ['Zone:eu/1'] } } });
    expect(zoned.body.placement).toEqual({ tags: ['Zone:eu/1'] });
    expect(runningOn(await until('the zoned task', () => get('zoned'), (v) => v.running === 1))).toEqual(['w2']);
    await remove('zoned');
    const byRole = await service.call('POST', '/cluster/services', { body: { name: 'workers', image: 'mco/busybox:lab', command: ['sleep', '100000'], replicas: 4, placement: { roles: ['worker', 'storage'] } } });
    expect(byRole.body.placement).toEqual({ roles: ['worker', 'storage'] });
    expect(runningOn(await until('4 worker tasks', () => get('workers'), (v) => v.running === 4)).every((id) => id === 'w1' || id === 'w2')).toBe(true);

    // A tag moved in our registry moves the label; a role or tag no node has is refused, naming it.
    service.core.registry.update('w2', { tags: [] });
    service.core.registry.update('w1', { tags: ['ssd'] });
    await until('ssd label moved to w1', async () => [await labels(2), await labels(3)], ([l1, l2]) => l1['mco.tag.ssd'] === 'true' && l2['mco.tag.ssd'] === undefined);
    service.core.registry.update('w2', { role: 'worker' });
    await until('w2 a worker again', () => labels(3), (l) => l['mco.role'] === 'worker');
    const unknown = await service.call('POST', '/cluster/services', { body: { name: 'nowhere', image: 'mco/busybox:lab', placement: { roles: ['storage'], tags: ['ssd', 'gpu'] } } });
    expect(unknown).toMatchObject({ status: 422, body: { details: [{ field: 'placement.roles[0]', message: 'no node of the swarm has role storage' }, { field: 'placement.tags[1]', message: 'no node of the swarm has tag gpu' }] } });
    await Promise.all([remove('ssd'), remove('workers')]);
  }, 90_000);

  labIt('rolls an update whose command fails back by itself, with the cause, and the old tasks run', async () => {
    await service.call('POST', '/cluster/services', { body: { name: 'roll', image: 'mco/busybox:lab', command: ['sleep', '100000'], replicas: 2, update: { monitor_s: 3 } } });
    await until('2 roll tasks', () => get('roll'), (v) => v.running === 2);
    const updated = await service.call('PATCH', '/cluster/services/roll', { body: { command: ['sh', '-c', 'echo broken >&2; exit 1'] } });
    expect(updated.status).toBe(200);
    const rolledBack = await until('rolled back', () => get('roll'), (v) => v.update?.state === 'rolled_back' && v.running === 2, 90_000);
    expect(rolledBack.update.message).toMatch(/roll/i);
    expect(rolledBack.update.cause).toMatch(/^task: non-zero exit \(1\) on (mgr|w1|w2)$/);
    expect(rolledBack.command).toEqual(['sleep', '100000']);
    // A rollback on request goes to the spec before: scale, then roll back to 2.
    await service.call('PATCH', '/cluster/services/roll', { body: { replicas: 1 } });
    expect((await get('roll')).desired).toBe(1);
    const back = await service.call('POST', '/cluster/services/roll/rollback');
    expect(back).toMatchObject({ status: 200, body: { desired: 2 } });
    await until('2 roll tasks again', () => get('roll'), (v) => v.running === 2);
    expect((await service.call('GET', '/cluster/audit')).body.entries.filter((e: { action: string }) => e.action === 'service_rollback').map((e: { outcome: string }) => e.outcome)).toEqual(['requested', 'ok']);
    await remove('roll');
  }, 150_000);

  labIt('runs a job of 4 completions 2 at a time to the end; its exit codes and logs stay readable', async () => {
    const started = await service.call('POST', '/cluster/jobs', { body: { name: 'batch', image: 'mco/busybox:lab', command: ['sh', '-c', 'echo "run on $(hostname)"; sleep 1'], completions: 4, concurrency: 2 } });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ name: 'batch', completions: 4, concurrency: 2 });
    const done = await until('job complete', async () => (await service.call('GET', '/cluster/jobs/batch')).body, (j) => j.state === 'complete', 60_000);
    expect(done).toMatchObject({ succeeded: 4, failed: 0, running: 0 });
    expect(done.runs.filter((r: Task) => r.state === 'complete')).toHaveLength(4);
    for (const run of done.runs) {
      expect(run.exit_code).toBe(0);
      expect(run.logs.map((l: { text: string }) => l.text)).toEqual([expect.stringMatching(/^run on /)]);
    }
    expect((await service.call('GET', '/cluster/services')).body.services.find((s: { name: string }) => s.name === 'batch')).toMatchObject({ mode: 'job' });
    const logs = (await service.call('GET', '/cluster/services/batch/logs?tail=100')).body;
    expect(logs.lines.filter((l: { text: string }) => /^run on/.test(l.text))).toHaveLength(4);
    expect(logs.lines.every((l: { task_id: string | null; node_id: string | null }) => l.task_id && ['mgr', 'w1', 'w2'].includes(l.node_id!))).toBe(true);
    expect(await remove('batch')).toMatchObject({ body: { mode: 'job' } });
  }, 90_000);

  labIt('places nothing on a node drained by the failover policy\'s means', async () => {
    await service.core.swarm.setAvailability('w1', 'drain', 'test');
    try {
      await service.call('POST', '/cluster/services', { body: { name: 'spread', image: 'mco/busybox:lab', command: ['sleep', '100000'], mode: 'global' } });
      const spread = await until('global on the 2 active nodes', () => get('spread'), (v) => v.running === 2);
      expect(runningOn(spread)).toEqual(['mgr', 'w2']);
      await remove('spread');
    } finally {
      await service.core.swarm.setAvailability('w1', 'active', 'test');
    }
  }, 60_000);

  labIt('MCP: under deny no acting tool changes anything; under allow an agent deploys, scales, updates, rolls back, runs a job and removes, each audited', async () => {
    const denied = await httpMcpClient(service.url, TEST_TOKEN); // the service runs MCP_COMMAND_POLICY=deny
    const agent = await inMemoryMcpClient(service.core, { policy: 'allow', transport: 'agent' });
    try {
      const acting = [
        ['deploy_service', { name: 'agent-web', image: 'mco/busybox:lab', command: ['sleep', '100000'], replicas: 2 }],
        ['scale_service', { name: 'agent-web', replicas: 3 }],
        ['update_service', { name: 'agent-web', env: { MODE: 'b' } }],
        ['rollback_service', { name: 'agent-web' }],
        ['remove_service', { name: 'agent-web' }],
        ['run_job', { name: 'agent-job', image: 'mco/busybox:lab', command: ['echo', 'done'], completions: 2, concurrency: 2 }],
      ] as const;
      const tools = Object.fromEntries((await denied.listTools()).tools.map((t) => [t.name, t.annotations]));
      for (const [name] of acting) expect(tools[name]?.readOnlyHint, name).toBe(false);
      for (const name of ['list_services', 'service_logs', 'job_status']) expect(tools[name]?.readOnlyHint, name).toBe(true);
      for (const [name, args] of acting) {
        const answer = await call(denied, name, args);
        expect(answer.isError, name).toBe(true);
        expect(text(answer)).toMatch(/^forbidden: Refused by the server's MCP command policy \(deny\)/);
      }
      expect((await call(denied, 'list_services')).structuredContent).toMatchObject({ services: [] });
      const auditFrom = (await service.call('GET', '/cluster/audit')).body.entries.length;

      const deployed = await call(agent, 'deploy_service', acting[0][1]);
      expect(deployed.isError, text(deployed)).toBeFalsy();
      await until('2 agent-web tasks', () => get('agent-web'), (v) => v.running === 2);
      expect((await call(agent, 'scale_service', acting[1][1])).structuredContent).toMatchObject({ desired: 3 });
      await until('3 agent-web tasks', () => get('agent-web'), (v) => v.running === 3);
      expect((await call(agent, 'update_service', acting[2][1])).structuredContent).toMatchObject({ env: { MODE: 'b' } });
      await until('update done', () => get('agent-web'), (v) => v.update?.state === 'updated', 60_000);
      expect((await call(agent, 'rollback_service', acting[3][1])).structuredContent).toMatchObject({ env: {} });
      const logs = await call(agent, 'service_logs', { name: 'agent-web', tail: 5 });
      expect(logs.isError, text(logs)).toBeFalsy();
      expect((await call(agent, 'remove_service', acting[4][1])).structuredContent).toEqual({ removed: 'agent-web', mode: 'replicated' });
      expect((await call(agent, 'run_job', acting[5][1])).isError).toBeFalsy();
      const job = await until('agent-job complete', async () => (await call(agent, 'job_status', { name: 'agent-job' })).structuredContent as { state: string; runs: Array<{ logs: Array<{ text: string }> }> }, (j) => j.state === 'complete');
      expect(job.runs.map((r) => r.logs.map((l) => l.text))).toEqual([['done'], ['done']]);
      expect((await call(agent, 'remove_service', { name: 'agent-job' })).structuredContent).toEqual({ removed: 'agent-job', mode: 'job' });

      const entries = (await service.call('GET', '/cluster/audit')).body.entries.slice(auditFrom) as Array<{ actor: string; action: string; outcome: string }>;
      const byCore = entries.filter((e) => e.actor === 'mcp:agent' && /^(service|job)_(deploy|scale|update|rollback|remove|run)$/.test(e.action)).map((e) => `${e.action} ${e.outcome}`);
      expect(byCore).toEqual(['service_deploy', 'service_scale', 'service_update', 'service_rollback', 'service_remove', 'job_run', 'job_remove'].flatMap((a) => [`${a} requested`, `${a} ok`]));
      // The MCP face audits each tool call too, requested before it acts.
      expect(entries.filter((e) => e.actor === 'mcp:agent' && e.action === 'deploy_service').map((e) => e.outcome.replace(/ in \d+ ms$/, ''))).toEqual(['requested', 'ok']);
    } finally {
      await denied.close();
      await agent.close();
    }
  }, 120_000);

  labIt('runs a standalone service on the Docker node outside the swarm that suggest picks, and counts its reservation at the next pick', async () => {
    await until('s1 and s2 healthy', async () => (await Promise.all(['s1', 's2'].map((id) => service.core.monitor.checkOne(id)))).map((c) => c.status), (s) => s.every((x) => x === 'healthy'));
    const suggested = (await service.call('POST', '/cluster/suggest', { body: { cpu_cores: 1.5, memory_gb: 0.0625, limit: 10 } })).body.candidates.map((c: { node_id: string }) => c.node_id).filter((id: string) => id.startsWith('s'));
    expect(suggested[0]).toBe('s2'); // 3 declared CPUs free against 2
    const spec = (name: string) => ({ name, image: 'mco/busybox:lab', command: ['sh', '-c', `echo hello from ${name}; sleep 100000`], mode: 'standalone', reservations: { cpus: 1.5, memory_mb: 64 } });
    const a = await service.call('POST', '/cluster/services', { body: spec('solo-a') });
    expect(a).toMatchObject({ status: 201, body: { name: 'solo-a', mode: 'standalone', desired: 1, running: 1, reservations: { cpus: 1.5, memory_mb: 64 }, tasks: [{ node_id: 's2', state: 'running' }] } });
    expect(await lab.docker(4, 'inspect', 'solo-a', '--format', '{{.HostConfig.NanoCpus}} {{.HostConfig.Memory}}')).toBe(`1500000000 ${64 * 1024 * 1024}`);
    // s2 now has 1.5 of its 3 CPUs reserved: the next one goes to s1.
    const b = await service.call('POST', '/cluster/services', { body: spec('solo-b') });
    expect(b.body.tasks[0].node_id).toBe('s1');
    const list = (await service.call('GET', '/cluster/services')).body;
    expect(list.services.filter((s: { mode: string }) => s.mode === 'standalone').map((s: { name: string }) => s.name)).toEqual(['solo-a', 'solo-b']);
    const allocation = Object.fromEntries(list.allocation.map((a: { node_id: string }) => [a.node_id, a]));
    expect(allocation.s2).toMatchObject({ source: 'docker', capacity_from: 'declared', capacity: { cpus: 3 }, reserved: { cpus: 1.5, memory_mb: 64 }, free: { cpus: 1.5 }, running: 1 });
    expect(allocation.mgr).toMatchObject({ source: 'swarm', capacity_from: 'swarm' });
    expect(allocation.mgr.capacity.cpus).toBeGreaterThan(0);
    expect(await service.call('POST', '/cluster/services', { body: spec('solo-a') })).toMatchObject({ status: 409, body: { details: [{ field: 'name', message: 'already exists' }] } });
    expect(await service.call('PATCH', '/cluster/services/solo-a', { body: { replicas: 2 } })).toMatchObject({ status: 409, body: { details: [{ field: 'name', message: 'standalone' }] } });
    expect((await service.call('GET', '/cluster/services/solo-a/logs?tail=5')).body.lines).toEqual([{ stream: 'stdout', text: 'hello from solo-a', task_id: expect.any(String), node_id: 's2' }]);
    for (const name of ['solo-a', 'solo-b']) expect(await remove(name)).toMatchObject({ status: 200, body: { removed: name, mode: 'standalone' } });
    expect(await lab.docker(4, 'ps', '-aq')).toBe('');
  }, 60_000);

  (chromiumMissing ? it.skip : labIt)('the Services view shows replicas, the pending reason and allocation; deploys through its form and removes after a confirmation', async () => {
    await service.call('POST', '/cluster/services', { body: { name: 'cpu', image: 'mco/busybox:lab', command: ['sleep', '100000'], replicas: 4, reservations: { cpus: 1.5, memory_mb: 64 } } });
    await until('cpu: 3 running, 1 pending', () => get('cpu'), (v) => v.running === 3 && v.pending === 1);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${service.url}/?view=services#token=${TEST_TOKEN}`);
      const cpu = page.locator('[data-service="cpu"]');
      await expect.poll(() => cpu.getByTestId('replicas').textContent(), { timeout: 15_000 }).toMatch(/3 of 4 running.*1 pending: no suitable node \(insufficient resources on 3 nodes\)/);
      expect(await page.getByTestId('allocation').locator('[data-node="mgr"]').textContent()).toMatch(/1\.50 of/);
      await cpu.getByRole('button', { name: 'cpu' }).click();
      await expect.poll(() => page.locator('[data-task-state="pending"]').count()).toBe(1);
      await page.screenshot({ path: screenshotPath('services-view') });

      // Deploy through the form: a memory under Docker's minimum is refused beside its field, then fixed.
      await page.getByRole('button', { name: 'Deploy' }).first().click();
      const form = page.getByRole('form', { name: 'Deploy a service' });
      await form.getByLabel('Name').fill('form-web');
      await form.getByLabel('Image').fill('mco/busybox:lab');
      await form.getByLabel('Replicas').fill('2');
      await form.getByLabel('Memory (MB)').fill('4');
      await form.getByLabel('Command').fill('sleep\n100000');
      await form.getByRole('button', { name: 'Deploy' }).click();
      await expect.poll(() => form.getByRole('alert').first().textContent()).toMatch(/Memory \(MB\).*6 MB/);
      await page.screenshot({ path: screenshotPath('service-deploy-form') });
      await form.getByLabel('Memory (MB)').fill('64');
      await form.getByRole('button', { name: 'Deploy' }).click();
      await expect.poll(() => page.locator('[data-service="form-web"]').count(), { timeout: 15_000 }).toBe(1);
      const web = await until('form-web running', () => get('form-web'), (v) => v.running === 2);
      expect(web).toMatchObject({ reservations: { memory_mb: 64 }, command: ['sleep', '100000'] });

      // Remove after a confirmation that names what stops.
      await page.locator('[data-service="form-web"]').getByRole('button', { name: 'form-web' }).click();
      await page.locator('.service-detail').getByRole('button', { name: 'Remove' }).click();
      expect(await page.getByTestId('remove-impact').textContent()).toMatch(/Its 2 tasks stop, on .+\./);
      await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
      await expect.poll(() => page.locator('[data-service="form-web"]').count(), { timeout: 15_000 }).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      await remove('cpu');
      await remove('form-web').catch(() => undefined);
    }
  }, 90_000);

  labIt('refuses bad input with the field and the reason, and changes nothing', async () => {
    await service.call('POST', '/cluster/services', { body: { name: 'taken', image: 'mco/busybox:lab', command: ['sleep', '100000'] } });
    const cases: Array<[unknown, string, string | RegExp]> = [
      [{ name: 'bad', image: 'Not An Image!' }, 'image', /image reference/],
      [{ name: 'taken', image: 'mco/busybox:lab' }, 'name', 'already exists'],
      [{ name: 'tiny', image: 'mco/busybox:lab', limits: { memory_mb: 4 } }, 'limits.memory_mb', "must be at least 6 MB (Docker's minimum)"],
      [{ name: 'many', image: 'mco/busybox:lab', replicas: 100_000 }, 'replicas', 'must be at most 1000'],
      [{ name: 'both', image: 'mco/busybox:lab', mode: 'global', replicas: 2 }, 'replicas', /global service/],
      [{ name: '-x', image: 'mco/busybox:lab' }, 'name', /DNS label/],
    ];
    for (const [body, field, message] of cases) {
      const answer = await service.call('POST', '/cluster/services', { body });
      expect([409, 422], JSON.stringify(body)).toContain(answer.status);
      expect(answer.body.details[0].field, JSON.stringify(body)).toBe(field);
      expect(answer.body.details[0].message).toMatch(message);
    }
    expect(await service.call('PATCH', '/cluster/services/ghost', { body: { replicas: 2 } })).toMatchObject({ status: 404, body: { details: [{ field: 'name' }] } });
    expect(await service.call('PATCH', '/cluster/services/taken', { body: {} })).toMatchObject({ status: 422 });
    expect((await service.call('GET', '/cluster/services')).body.services.map((s: { name: string }) => s.name)).toEqual(['taken']);
    await remove('taken');
  }, 60_000);
});
