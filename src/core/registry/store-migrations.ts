import { OrchestratorError } from '../../shared/errors';

// The registry file carries `schema_version`. Each migration lifts a document by one version;
// files written by the seed service (no version) count as version 1.
export const CURRENT_SCHEMA_VERSION = 2;

type Doc = Record<string, unknown>;

const MIGRATIONS: Record<number, (doc: Doc) => Doc> = {
  // v1 (seed service): {"nodes": {...}} only. v2 adds the version and keeps nodes as they are;
  // fields new in v2 (probes, ssh, maintenance) get their defaults when nodes are parsed.
  1: (doc) => ({ ...doc, schema_version: 2, nodes: doc.nodes ?? {} }),
};

export function schemaVersionOf(doc: Doc): number {
  return typeof doc.schema_version === 'number' ? doc.schema_version : Object.keys(doc).length === 0 ? CURRENT_SCHEMA_VERSION : 1;
}

/** Returns the document at the current version, and whether anything changed. */
export function migrate(doc: Doc): { doc: Doc; migrated: boolean } {
  let version = schemaVersionOf(doc);
  if (version > CURRENT_SCHEMA_VERSION) {
    throw new OrchestratorError('conflict', `The node store's schema_version ${version} is newer than this app understands (${CURRENT_SCHEMA_VERSION}): it was written by a newer version. Upgrade the app, or point DATA_DIR elsewhere; the file was not touched.`, [{ field: 'schema_version', message: `${version} is newer than ${CURRENT_SCHEMA_VERSION}` }]);
  }
  let current = doc;
  const startVersion = version;
  while (version < CURRENT_SCHEMA_VERSION) {
    current = MIGRATIONS[version](current);
    version++;
  }
  if (Object.keys(current).length === 0) current = { schema_version: CURRENT_SCHEMA_VERSION, nodes: {} };
  return { doc: current, migrated: version !== startVersion };
}
