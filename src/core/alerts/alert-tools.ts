import { AlertChannelsViewSchema, NodeSilencesSchema } from '../../shared/schemas/alerts';
import { McpIdArgsSchema, McpListAlertChannelsArgsSchema } from '../../shared/schemas/mcp';
import { READ, READ_REMOTE, type ToolTable } from '../mcp/tool-table';

/** MCP tools for alerting: the channels and how they deliver, and the Alertmanager silences on a node. */
export const alertTools: ToolTable = ({ core, tool }) => {
  tool('list_alert_channels', {
    title: 'List alert channels',
    description: 'Alert channels (webhook, ntfy, Slack, Discord, email, Alertmanager) with secrets redacted, and how delivery to each went: sent and failed counts, the last failure, and for Alertmanager each peer. Read-only; channels are edited in the app or with PUT /cluster/alerts.',
    input: McpListAlertChannelsArgsSchema, output: AlertChannelsViewSchema, annotations: READ,
  }, () => core.alerts.list());

  tool('node_silences', {
    title: 'Alertmanager silences on a node',
    description: "Active Alertmanager silences that cover the node's alerts (NodeDown, HostKeyChanged, FailoverAction): matchers, end, author, comment. Asks the first answering peer of each Alertmanager channel; empty without one. A silenced node's outage reaches nobody through Alertmanager.",
    input: McpIdArgsSchema, output: NodeSilencesSchema, annotations: READ_REMOTE,
  }, ({ id }) => {
    core.registry.require(id);
    return core.alerts.silences(id);
  });
};
