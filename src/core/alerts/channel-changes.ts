import { isDeepStrictEqual } from 'node:util';
import type { AlertChannel } from '../../shared/schemas/alerts';

/** What an update did to the stored channels: ids added and removed, and the names of the fields changed. */
export interface ChannelChanges {
  added: AlertChannel[];
  removed: AlertChannel[];
  changed: Array<{ id: string; fields: string[] }>;
}

export function channelChanges(previous: AlertChannel[], next: AlertChannel[]): ChannelChanges {
  const before = new Map(previous.map((c) => [c.id, c]));
  const after = new Set(next.map((c) => c.id));
  const changed = next.flatMap((channel) => {
    const old = before.get(channel.id);
    if (!old) return [];
    const fields = [...new Set([...Object.keys(old), ...Object.keys(channel)])].filter((k) => !isDeepStrictEqual((old as Record<string, unknown>)[k], (channel as Record<string, unknown>)[k])).sort();
    return fields.length > 0 ? [{ id: channel.id, fields }] : [];
  });
  return { added: next.filter((c) => !before.has(c.id)), removed: previous.filter((c) => !after.has(c.id)), changed };
}

/** One line for the event and audit logs: ids, types and field names, never a value (values hold secrets). */
export function describeChannelChanges({ added, removed, changed }: ChannelChanges): string {
  return [
    ...added.map((c) => `added ${c.id} (${c.type})`),
    ...changed.map((c) => `changed ${c.id}: ${c.fields.join(', ')}`),
    ...removed.map((c) => `removed ${c.id} (${c.type})`),
  ].join('; ');
}
