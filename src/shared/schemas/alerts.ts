import { z } from 'zod';
import { ClusterStateSchema } from './health';
import { NodeRoleSchema } from './node';

/** What an alert is about; the same names go to every channel and the native notifications. */
export const ALERT_EVENTS = ['node_down', 'node_recovered', 'monitor_offline', 'monitor_online', 'host_key_changed', 'failover', 'service_pending', 'service_placed', 'service_rolled_back', 'test'] as const;
export const AlertEventSchema = z.enum(ALERT_EVENTS, { error: `must be one of ${ALERT_EVENTS.join(', ')}` });
export type AlertEvent = z.infer<typeof AlertEventSchema>;

/** One decided alert: a native notification shows title and body; channels send all of it. */
export interface AlertNotice {
  event: AlertEvent;
  title: string;
  body: string;
  /** The node a click opens the window on (the first of a group). */
  nodeId: string | null;
  /** The nodes it is about, with the reason each one changed. */
  nodes: Array<{ id: string; reason: string }>;
  /** A failover's outcome (drain, active, or why it failed): Alertmanager fires on drain and resolves on active. */
  to?: string | null;
  /** The Swarm service a service alert is about: its replicas pending (0 once placed) and why. */
  service?: AlertService | null;
}

export const AlertServiceSchema = z.object({ name: z.string(), pending: z.int(), reason: z.string() });
export type AlertService = z.infer<typeof AlertServiceSchema>;

/** Shown instead of a secret (a password, a webhook path token); sent back unchanged it keeps the stored value. */
export const REDACTED = '***';

/** A receiver's URL: http(s), at most 2,048 characters (also each URL of ALERT_WEBHOOK_URL). */
export const AlertUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2048, { error: 'must be at most 2,048 characters' });
const httpUrl = AlertUrlSchema;

/**
 * An email address as JSON Schema's `format: email` validators read it (ajv-formats' rule: dotted
 * domain, no label starting or ending with '-'), so what we accept, store and echo passes our own
 * document. The pattern travels with the schema into OpenAPI and MCP.
 */
const EMAIL = /^[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?\.)+[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
const email = () => z.email({ pattern: EMAIL, error: 'must be an email address' });

const base = {
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, { error: 'must be 1-64 lowercase letters, digits, - or _' }),
  name: z.string().max(100).optional(),
  enabled: z.boolean().default(true),
  /** Only these events; all when omitted. */
  events: z.array(AlertEventSchema).max(ALERT_EVENTS.length).optional(),
};

export const NTFY_PRIORITIES = ['min', 'low', 'default', 'high', 'urgent'] as const;

/** One alert channel, as stored in DATA_DIR and edited in the settings dialog. */
export const AlertChannelSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ ...base, type: z.literal('webhook'), url: httpUrl }),
    z.strictObject({
      ...base,
      type: z.literal('ntfy'),
      /** The topic URL, e.g. https://ntfy.sh/my-cluster. */
      url: httpUrl,
      priority: z.enum(NTFY_PRIORITIES).default('high'),
      tags: z.array(z.string().regex(/^[\w+-]{1,40}$/, { error: 'must be a word (letters, digits, _ + -)' })).max(10).default([]),
      /** An ntfy access token, sent as a bearer token. */
      token: z.string().max(200).optional(),
    }),
    z.strictObject({ ...base, type: z.literal('slack'), url: httpUrl }),
    z.strictObject({ ...base, type: z.literal('discord'), url: httpUrl }),
    z.strictObject({
      ...base,
      type: z.literal('email'),
      host: z.string().min(1).max(253),
      port: z.int().min(1).max(65535).default(587),
      /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
      secure: z.boolean().default(false),
      username: z.string().max(200).optional(),
      password: z.string().max(200).optional(),
      /** A password goes only over TLS (secure, or STARTTLS required); true allows a server without either. */
      allow_plain_auth: z.boolean().default(false),
      from: email(),
      to: z.array(email()).min(1, { error: 'needs at least one recipient' }).max(20),
    }),
    z.strictObject({
      ...base,
      type: z.literal('alertmanager'),
      /** Every peer of the Alertmanager cluster (e.g. http://am-1:9093): each gets every alert, as Prometheus sends them. */
      urls: z
        .array(httpUrl)
        .min(1, { error: 'needs at least one Alertmanager URL' })
        .max(10, { error: 'must list at most 10 Alertmanager peers' }),
      /** Seconds between resends of what still fires; endsAt is set four of them ahead. */
      resend_interval_s: z.number({ error: 'must be a number of seconds' }).min(0.2, { error: 'must be at least 0.2 s' }).max(3600, { error: 'must be at most 3,600 s' }).default(60),
      /** A mute in our window also creates an Alertmanager silence for the node, until the mute ends. */
      silence_on_mute: z.boolean().default(false),
    }),
  ],
  { error: 'type must be one of webhook, ntfy, slack, discord, email, alertmanager' },
);
export type AlertChannel = z.infer<typeof AlertChannelSchema>;
export type AlertChannelType = AlertChannel['type'];

/** The body of PUT /cluster/alerts: the DATA_DIR channels (environment channels are not edited here). */
export const AlertChannelsUpdateSchema = z
  .strictObject({ channels: z.array(AlertChannelSchema).max(50).describe('Every DATA_DIR channel; each id at most once (a second channel with an id is refused with 422)') })
  .superRefine((value, ctx) => {
    const seen = new Set<string>();
    value.channels.forEach((channel, i) => {
      if (seen.has(channel.id)) ctx.addIssue({ code: 'custom', path: ['channels', i, 'id'], message: `is used twice ("${channel.id}")` });
      seen.add(channel.id);
    });
  });
export type AlertChannelsUpdate = z.infer<typeof AlertChannelsUpdateSchema>;

/** How deliveries to one channel went since the service started. */
export const ChannelDeliverySchema = z.object({
  status: z.enum(['idle', 'ok', 'retrying', 'failing']),
  sent: z.int(),
  failed: z.int(),
  retries: z.int(),
  pending: z.int(),
  consecutive_failures: z.int(),
  last_success_at: z.string().nullable(),
  last_failure: z.object({ at: z.string(), event: AlertEventSchema, error: z.string(), attempts: z.int() }).nullable(),
  /** Alertmanager channels: how each peer answers (one peer down still delivers through the others). */
  peers: z
    .array(z.object({ url: z.string(), status: z.enum(['idle', 'ok', 'failing']), consecutive_failures: z.int(), last_success_at: z.string().nullable(), last_error: z.string().nullable() }))
    .optional(),
});
export type ChannelDelivery = z.infer<typeof ChannelDeliverySchema>;

/** A channel as every face returns it: secrets redacted, where it comes from, how delivery goes. */
export const AlertChannelViewSchema = z.object({
  /** Same shape as stored; secrets read `***` (see REDACTED). */
  channel: AlertChannelSchema,
  source: z.enum(['env', 'data_dir']),
  delivery: ChannelDeliverySchema,
});
export type AlertChannelView = z.infer<typeof AlertChannelViewSchema>;
export const AlertChannelsViewSchema = z.object({ channels: z.array(AlertChannelViewSchema) });
export type AlertChannelsView = z.infer<typeof AlertChannelsViewSchema>;

/** An active Alertmanager silence that covers one of a node's alerts (the node detail shows it). */
export const NodeSilenceSchema = z.object({
  id: z.string(),
  /** The peer that answered. */
  alertmanager: z.string(),
  /** As amtool writes them: node="db-1", alertname=~"Node.*". */
  matchers: z.array(z.string()),
  /** Which of the node's alerts it silences (NodeDown, HostKeyChanged, FailoverAction). */
  covers: z.array(z.string()),
  ends_at: z.string().nullable(),
  created_by: z.string(),
  comment: z.string(),
});
export const NodeSilencesSchema = z.object({
  silences: z.array(NodeSilenceSchema),
  /** Alertmanager channels none of whose peers answered. */
  errors: z.array(z.object({ channel_id: z.string(), error: z.string() })),
});
export type NodeSilences = z.infer<typeof NodeSilencesSchema>;

export const AlertTestRequestSchema = z.strictObject({
  /** One channel; every enabled channel when omitted. */
  channel_id: z.string().max(64).optional(),
});

export const AlertTestResultSchema = z.object({
  results: z.array(z.object({ channel_id: z.string(), ok: z.boolean(), attempts: z.int(), error: z.string().nullable() })),
});
export type AlertTestResult = z.infer<typeof AlertTestResultSchema>;

/** The generic webhook's JSON body (and what the other shapes are made from). */
export const AlertPayloadSchema = z.object({
  event: AlertEventSchema,
  title: z.string(),
  message: z.string(),
  nodes: z.array(z.object({ id: z.string(), hostname: z.string(), tailscale_ip: z.string(), role: NodeRoleSchema, reason: z.string() })),
  /** Set for service_pending, service_placed and service_rolled_back (added with them; null otherwise). */
  service: AlertServiceSchema.nullable(),
  cluster: z.object({ state: ClusterStateSchema, healthy_nodes: z.int(), total_nodes: z.int() }),
  at: z.string(),
});
export type AlertPayload = z.infer<typeof AlertPayloadSchema>;
