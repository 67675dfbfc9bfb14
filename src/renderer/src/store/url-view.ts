import { HealthStateSchema, NodeRoleSchema, TagSchema, type NodeFilter } from '../../../shared/schemas/node';
import { DEFAULT_SORT, SORT_KEYS, type ClusterStore, type SortKey } from './cluster-store';

type View = Pick<ClusterStore, 'filter' | 'sort'>;

/**
 * Filters and sort live in the address (?q=gpu+db&role=worker&state=unhealthy&tag=gpu&sort=-latency),
 * so a view can be bookmarked, shared and reloaded. Unknown or invalid values are ignored.
 */
export function viewFromSearch(search: string): View {
  const params = new URLSearchParams(search);
  const filter: NodeFilter = {};
  const q = params.get('q');
  if (q) filter.q = q.slice(0, 200);
  const role = NodeRoleSchema.safeParse(params.get('role'));
  if (role.success) filter.role = role.data;
  const state = HealthStateSchema.safeParse(params.get('state'));
  if (state.success) filter.status = state.data;
  const tag = TagSchema.safeParse(params.get('tag'));
  if (tag.success) filter.tag = tag.data;
  const raw = params.get('sort') ?? '';
  const key = raw.replace(/^-/, '') as SortKey;
  const sort = SORT_KEYS.includes(key) ? { key, dir: raw.startsWith('-') ? (-1 as const) : (1 as const) } : DEFAULT_SORT;
  return { filter, sort };
}

/** The address's query with the view written into it (other parameters are kept). */
export function searchWithView(search: string, { filter, sort }: View): string {
  const params = new URLSearchParams(search);
  const set = (name: string, value: string | undefined) => (value ? params.set(name, value) : params.delete(name));
  set('q', filter.q);
  set('role', filter.role);
  set('state', filter.status);
  set('tag', filter.tag);
  set('sort', sort.key === DEFAULT_SORT.key && sort.dir === DEFAULT_SORT.dir ? undefined : `${sort.dir === -1 ? '-' : ''}${sort.key}`);
  const text = params.toString();
  return text ? `?${text}` : '';
}
