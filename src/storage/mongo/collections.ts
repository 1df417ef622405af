import type { Db, IndexDescription } from 'mongodb';

export const COLLECTIONS = {
  apiKeys: 'api_keys',
  logs: 'logs',
  exports: 'exports',
  exportClaims: 'export_claims',
  jobs: 'jobs',
  feedback: 'feedback',
  feedbackTraces: 'feedback_traces',
  analyticsRollups: 'analytics_rollups',
} as const;

/**
 * Every index the service relies on. createIndexes is idempotent, so this runs at every start-up;
 * only features both MongoDB and FerretDB 1.24 support are used (no partial, TTL or text indexes).
 */
const INDEXES: Record<string, IndexDescription[]> = {
  [COLLECTIONS.apiKeys]: [
    { key: { key_hash: 1 }, name: 'key_hash_unique', unique: true },
    { key: { workspace_id: 1, created_at: -1 }, name: 'workspace_created' },
  ],
  [COLLECTIONS.logs]: [
    { key: { workspace_id: 1, created_at: -1, _id: -1 }, name: 'workspace_created' },
    { key: { workspace_id: 1, trace_id: 1 }, name: 'workspace_trace' },
    { key: { workspace_id: 1, model: 1, created_at: -1 }, name: 'workspace_model_created' },
    { key: { workspace_id: 1, status_code: 1, created_at: -1 }, name: 'workspace_status_created' },
    { key: { workspace_id: 1, 'metadata.k': 1, 'metadata.v': 1 }, name: 'workspace_metadata' },
    { key: { created_at: 1 }, name: 'created_at_retention' },
  ],
  [COLLECTIONS.feedback]: [{ key: { workspace_id: 1, trace_id: 1 }, name: 'workspace_trace' }, { key: { workspace_id: 1, created_at: -1 }, name: 'workspace_created' }],
  [COLLECTIONS.feedbackTraces]: [{ key: { workspace_id: 1 }, name: 'workspace' }],
  [COLLECTIONS.analyticsRollups]: [],
  [COLLECTIONS.exports]: [{ key: { workspaceId: 1, createdAt: -1 }, name: 'workspace_created' }],
  'export_files.files': [{ key: { filename: 1, uploadDate: 1 }, name: 'filename_1_uploadDate_1' }],
  'export_files.chunks': [{ key: { files_id: 1, n: 1 }, name: 'files_id_1_n_1', unique: true }],
};

export async function ensureIndexes(db: Db): Promise<void> {
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  for (const [name, indexes] of Object.entries(INDEXES)) {
    if (!existing.has(name)) {
      try {
        await db.createCollection(name);
      } catch (err) {
        // Another process created it between our list and create.
        if ((err as { codeName?: string }).codeName !== 'NamespaceExists') throw err;
      }
    }
    // One at a time, and only missing ones: FerretDB 1.24 panics on a multi-index createIndexes whose
    // indexes already exist.
    const present = new Set((await db.collection(name).listIndexes().toArray()).map((i) => i.name as string));
    for (const index of indexes) {
      if (!present.has(index.name!)) await db.collection(name).createIndexes([index]);
    }
  }
}
