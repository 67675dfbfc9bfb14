import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EventsQuerySchema, PauseRequestSchema, StatusQuerySchema } from '../../shared/schemas/api';
import { ClusterStatusSchema, HealthEventSchema } from '../../shared/schemas/health';
import { MonitorSettingSourcesSchema, MonitorSettingsPatchSchema, MonitorSettingsSchema } from '../../shared/schemas/settings';
import { PeersUpdateSchema, PeersViewSchema } from '../../shared/schemas/peers';
import { restActor, type RouteContext } from './route-context';
import { domainErrors } from '../http/openapi-document';

export const clusterRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { core }) => {
  const tags = ['cluster'];
  app.get('/cluster/status', { schema: { tags, summary: 'Cluster health summary', querystring: StatusQuerySchema, response: { 200: ClusterStatusSchema } } }, async (request) =>
    core.monitor.status(request.query.include_nodes),
  );

  app.post('/cluster/health-check', { schema: { tags, summary: 'Run a full sweep now; answers the status with nodes', response: { 200: ClusterStatusSchema } } }, async () => {
    await core.monitor.requestSweep();
    return core.monitor.status(true);
  });

  app.get('/cluster/events', { schema: { tags, summary: 'Event log (transitions, monitor offline/online), newest last', querystring: EventsQuerySchema, response: { 200: z.object({ events: z.array(HealthEventSchema) }) } } }, async (request) => ({
    events: core.eventLog.list({ node: request.query.node, afterSeq: request.query.after_seq, limit: request.query.limit }),
  }));

  app.get('/cluster/peers', { schema: { tags, summary: "This monitor's peers (MONITOR_PEERS or the saved settings): each link's state and its last view of the nodes; tokens never shown", response: { 200: PeersViewSchema } } }, async () => core.peers.view());
  app.put(
    '/cluster/peers',
    { schema: { tags, summary: 'Replace the saved peer monitors (refused while MONITOR_PEERS sets them); a peer sent without its token keeps the stored one', body: PeersUpdateSchema, response: { 200: PeersViewSchema }, ...domainErrors(409) } },
    async (request) => core.peers.update(request.body, restActor(request)),
  );

  app.get('/cluster/settings', { schema: { tags, summary: 'Monitor settings', response: { 200: MonitorSettingsSchema } } }, async () => core.monitor.settings);
  app.put('/cluster/settings', { schema: { tags, summary: 'Change monitor settings (partial)', body: MonitorSettingsPatchSchema, response: { 200: MonitorSettingsSchema } } }, async (request) =>
    core.monitor.updateSettings(request.body),
  );

  app.get('/cluster/settings/sources', { schema: { tags, summary: "Where each monitor setting's value came from: default, saved, environment, flag, .env file or demo", response: { 200: MonitorSettingSourcesSchema } } }, async () => core.settings.sources);

  app.post('/cluster/pause', { schema: { tags, summary: 'Pause monitoring for duration_s, or until resumed', body: PauseRequestSchema, response: { 200: ClusterStatusSchema } } }, async (request) => {
    core.monitor.pause(request.body.duration_s === undefined ? undefined : request.body.duration_s * 1000);
    return core.monitor.status();
  });
  app.delete('/cluster/demo', { schema: { tags, summary: 'Remove the demo nodes: every node tagged "demo" (what "Start the demo fleet" imported), in one write; stops the simulated fleet', response: { 200: z.object({ removed: z.array(z.string()) }) } } }, async () =>
    core.removeDemo(),
  );

  app.post('/cluster/resume', { schema: { tags, summary: 'Resume monitoring', response: { 200: ClusterStatusSchema } } }, async () => {
    core.monitor.resume();
    return core.monitor.status();
  });
};
