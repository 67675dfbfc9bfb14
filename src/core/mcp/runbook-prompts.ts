import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { Core } from '../app-core';
import type { HistoryPoint, NodeHealth } from '../../shared/schemas/health';

// Runbooks an agent or a person picks from prompts/list. Each renders what the core already knows
// (cheap reads, no SSH) and names the tools for the rest, so a prompt never blocks on a node.

const HOUR = 3_600_000;
const percent = (share: number | null) => (share === null ? 'unknown' : `${(share * 100).toFixed(2)} %`);
const json = (value: unknown) => JSON.stringify(value, null, 1);

/** Latency over the points: how many answered, and min / mean / max of those that did. */
function summarize(points: HistoryPoint[]): string {
  if (points.length === 0) return 'no checks in that time';
  const answered = points.filter((p) => p.ok && p.latency_ms !== null).map((p) => p.latency_ms!);
  const failed = points.length - answered.length;
  if (answered.length === 0) return `${points.length} checks, all failed`;
  const mean = answered.reduce((a, b) => a + b, 0) / answered.length;
  return `${points.length} checks, ${failed} failed; latency min ${Math.min(...answered).toFixed(1)} ms, mean ${mean.toFixed(1)} ms, max ${Math.max(...answered).toFixed(1)} ms`;
}

/** Each monitor's own view of the node and how the state was decided (MONITOR_PEERS), or that this monitor watches alone. */
function nodeVantage(health: NodeHealth): string {
  if (!health.vantage || !health.quorum) return 'node_vantage: this monitor watches alone (no MONITOR_PEERS); its own checks decide.';
  const { needed, voters, alone } = health.quorum;
  const rows = health.vantage.map((v) => `| ${v.monitor} | ${v.status} | ${v.counted ? 'yes' : 'no'} | ${v.checked_at ?? '—'} | ${v.error ?? ''} |`);
  return [
    `node_vantage: the state "${health.status}" was decided ${alone ? 'by this monitor alone (no peer view is fresh)' : `by ${needed} of ${voters} counted monitors`}. Each monitor's own view:`,
    `| monitor | status | counted | checked at | error |\n|---|---|---|---|---|\n${rows.join('\n')}`,
    'A node that only one monitor sees down points at that monitor\'s network path, not the node.',
  ].join('\n');
}

const user = (text: string) => ({ messages: [{ role: 'user' as const, content: { type: 'text' as const, text } }] });

export function registerRunbookPrompts(server: McpServer, core: Core): void {
  const { registry, monitor, eventLog } = core;

  server.registerPrompt(
    'diagnose_node',
    {
      title: 'Diagnose a node',
      description: "Why is a node unhealthy or slow? Its health, latency history, uptime and events now, and the tools for its metrics and containers.",
      argsSchema: z.object({ node_id: z.string().min(1).describe('The node to diagnose (its id)') }),
    },
    ({ node_id }) => {
      const node = monitor.nodeWithHealth(node_id); // not_found names the id
      const uptime = monitor.uptimeOf(node_id);
      return user(
        [
          `Diagnose node ${node.id} (${node.hostname}, ${node.tailscale_ip}, role ${node.role}).`,
          `Health now:\n${json({ ...node.health, vantage: undefined })}`,
          nodeVantage(node.health),
          `Latency, last hour: ${summarize(monitor.history(node_id, HOUR))}. Last 24 h: ${summarize(monitor.history(node_id, 24 * HOUR))}.`,
          `Uptime: 24 h ${percent(uptime.h24)}, 7 d ${percent(uptime.d7)}, 30 d ${percent(uptime.d30)}${uptime.d30_span_s !== undefined && uptime.d30_span_s < 30 * 86_400 ? ` (measured over the last ${Math.round(uptime.d30_span_s / 60)} minutes only)` : ''}.`,
          `Recent events (oldest first):\n${json(eventLog.list({ node: node_id, limit: 20 }))}`,
          `Then look further: check_health {"id": "${node_id}"} probes it now; get_metrics {"id": "${node_id}"} reads CPU, memory, disk and load over SSH; ` +
            `list_containers {"id": "${node_id}"} and container_logs show what runs there and why it restarts.`,
          'Answer with the likely cause, the evidence for it, and a proposed fix. Change nothing without asking: acting tools pass the server\'s command policy.',
        ].join('\n\n'),
      );
    },
  );

  server.registerPrompt(
    'fleet_report',
    {
      title: 'Fleet report',
      description: 'A report on the whole fleet, or one role: state, nodes down, uptime, and the transitions of the last 24 hours.',
      argsSchema: z.object({ role: z.enum(['master', 'worker', 'storage']).optional().describe('Only nodes of this role') }),
    },
    ({ role }) => {
      const nodes = monitor.listWithHealth(role ? { role } : {});
      const ids = new Set(nodes.map((n) => n.id));
      const since = Date.now() - 24 * HOUR;
      const transitions = eventLog.list({ limit: 1000 }).filter((e) => e.kind === 'transition' && Date.parse(e.at) >= since && (!role || (e.node !== null && ids.has(e.node))));
      const rows = nodes.map((n) => `| ${n.id} | ${n.role} | ${n.health.status} | ${percent(monitor.uptimeOf(n.id).h24)} | ${n.health.latency_ms ?? '—'} |`);
      return user(
        [
          `Write a fleet report${role ? ` for the ${role} nodes` : ''} for the operator: overall state, what is down and since when, what flapped, and what needs attention first.`,
          `Cluster status:\n${json(monitor.status(false))}`,
          `Nodes (${nodes.length}):\n| id | role | status | uptime 24 h | latency ms |\n|---|---|---|---|---|\n${rows.join('\n')}`,
          `State changes in the last 24 h (${transitions.length}):\n${json(transitions.slice(-100))}`,
          'For a node that needs a closer look, use the diagnose_node prompt or get_node, list_events and get_metrics.',
        ].join('\n\n'),
      );
    },
  );

  server.registerPrompt(
    'prepare_maintenance',
    {
      title: 'Prepare a node for maintenance',
      description: 'Drain the node in Docker Swarm, mute its alerts and put it in maintenance, checking each step; and how to bring it back.',
      argsSchema: z.object({
        node_id: z.string().min(1).describe('The node to take out of service'),
        hours: z.enum(['1', '4', '8']).optional().describe('How long to mute its alerts (default 4)'),
      }),
    },
    ({ node_id, hours = '4' }) => {
      const node = registry.require(node_id);
      const health = monitor.nodeWithHealth(node_id).health;
      return user(
        [
          `Prepare node ${node.id} (${node.hostname}, role ${node.role}) for maintenance. It is ${health.status} now${node.maintenance ? ', and already in maintenance' : ''}.`,
          'Steps, each checked before the next:',
          `1. drain_node {"id": "${node_id}"}: Swarm moves its tasks elsewhere. Check with list_services that every service still has its replicas running on other nodes.`,
          `2. mute_node {"id": "${node_id}", "hours": ${hours}}: no alerts while it is worked on.`,
          `3. set_maintenance {"id": "${node_id}", "maintenance": true}: not counted in uptime, not probed as an outage.`,
          `Afterwards, in reverse: set_maintenance {"id": "${node_id}", "maintenance": false}, activate_node {"id": "${node_id}"}, mute_node {"id": "${node_id}", "hours": 0}, then check_health {"id": "${node_id}"}.`,
          'These tools act: the server applies its command policy and may ask a person first. Report what was done and what was refused.',
        ].join('\n\n'),
      );
    },
  );
}
