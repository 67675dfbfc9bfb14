import net, { type AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { inMemoryMcpClient } from '../helpers/mcp-client';
import { startTestService } from '../helpers/service';
import { nodeInput } from '../helpers/nodes';

// Issue 27: resources/subscribe on cluster://status and node://{id}; an update follows a sweep that
// changed a node's state, once, and none follows a sweep that changed nothing. Loopback 127.84.0.x.
let service: Awaited<ReturnType<typeof startTestService>>;
let client: Client;
afterAll(async () => {
  await client?.close();
  await service?.close();
});

describe('MCP resource subscriptions', () => {
  it('announce a node that changed state once per sweep, and stay silent when nothing changed', async () => {
    const listener = net.createServer((s) => s.destroy());
    await new Promise<void>((r) => listener.listen(0, '127.84.0.2', r));
    service = await startTestService({ HOST: '127.84.0.1', FAILURE_THRESHOLD: 1, RECOVERY_THRESHOLD: 1 });
    service.core.registry.create(nodeInput('up-1', { tailscale_ip: '127.84.0.2', probes: [{ type: 'tcp', port: (listener.address() as AddressInfo).port }] }));
    service.core.registry.create(nodeInput('other-1', { tailscale_ip: '127.84.0.3', probes: [{ type: 'tcp', port: 9 }] }));
    await service.core.monitor.sweep();
    expect(service.core.monitor.nodeWithHealth('up-1').health.status).toBe('healthy');

    client = await inMemoryMcpClient(service.core, { policy: 'allow' });
    const updates: string[] = [];
    client.setNotificationHandler('notifications/resources/updated', (notification) => void updates.push(notification.params.uri));
    await client.subscribeResource({ uri: 'node://up-1' });
    await client.subscribeResource({ uri: 'cluster://status' });
    await expect(client.subscribeResource({ uri: 'node://nope' })).rejects.toThrow(/node:\/\/nope/);
    const settle = () => new Promise((r) => setTimeout(r, 100)); // notifications are sent, not awaited

    await service.core.monitor.sweep(); // latencies change, states do not
    await settle();
    expect(updates).toEqual([]);

    await new Promise((r) => listener.close(r)); // up-1 goes down
    await service.core.monitor.sweep();
    await settle();
    expect(service.core.monitor.nodeWithHealth('up-1').health.status).toBe('unhealthy');
    expect(updates.sort()).toEqual(['cluster://status', 'node://up-1']);

    updates.length = 0;
    await service.core.monitor.sweep();
    await settle();
    expect(updates).toEqual([]);

    // A node's own fields are announced at once; unsubscribing stops it.
    await client.callTool({ name: 'mute_node', arguments: { id: 'up-1', hours: 1 } });
    await settle();
    expect(updates).toEqual(['node://up-1']);
    await client.unsubscribeResource({ uri: 'node://up-1' });
    await client.callTool({ name: 'mute_node', arguments: { id: 'up-1', hours: 0 } });
    await settle();
    expect(updates).toEqual(['node://up-1']);
  });
});
