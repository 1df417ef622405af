import type { Db } from 'mongodb';
import { ensureIndexes, type IndexBuildTracker, type IndexLog, type IndexSpec } from './index-builder.js';

export { ensureIndexes, createIndexBuildTracker, type IndexSpec } from './index-builder.js';

export const COLLECTIONS = {
  apiKeys: 'api_keys',
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
export const INDEXES: Record<string, IndexSpec[]> = {
  [COLLECTIONS.apiKeys]: [
    { key: { key_hash: 1 }, name: 'key_hash_unique', unique: true },
    { key: { workspace_id: 1, created_at: -1 }, name: 'workspace_created' },
  ],
  [COLLECTIONS.feedback]: [
    { key: { workspace_id: 1, trace_id: 1 }, name: 'workspace_trace' },
    { key: { workspace_id: 1, created_at: -1 }, name: 'workspace_created' },
  ],
  [COLLECTIONS.feedbackTraces]: [{ key: { workspace_id: 1 }, name: 'workspace' }],
  [COLLECTIONS.analyticsRollups]: [],
  [COLLECTIONS.exports]: [{ key: { workspaceId: 1, createdAt: -1 }, name: 'workspace_created' }],
  'export_files.files': [{ key: { filename: 1, uploadDate: 1 }, name: 'filename_1_uploadDate_1' }],
  'export_files.chunks': [{ key: { files_id: 1, n: 1 }, name: 'files_id_1_n_1', unique: true }],
};

/** The service's fixed collections and their indexes (see index-builder.ts for how they are applied). */
export function ensureServiceIndexes(db: Db, tracker: IndexBuildTracker, log?: IndexLog): Promise<void> {
  return ensureIndexes(db, INDEXES, tracker, log);
}
