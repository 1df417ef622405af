import type { Collection, Db, Document, Sort } from 'mongodb';
import type { LogBrowseRepository, LogSortField } from '../../domain/browse/browse-model.js';
import { withSpan } from '../../telemetry.js';
import { COLLECTIONS } from './collections.js';
import { fromLogDoc, type LogDoc } from './log-document.js';
import { NEWEST_FIRST, olderThan, toMongoFilter } from './log-filter-query.js';

const DB_ATTRS = { 'db.system': 'mongodb', 'db.collection.name': COLLECTIONS.logs };

/** Lists show no bodies or headers: leaving them out saves decoding and parsing the bulk of each document. */
const WITHOUT_BODIES = { request_body: 0, response_body: 0, request_headers: 0, response_headers: 0 } as const;
const SORT_COLUMNS: Record<LogSortField, string> = { createdAt: 'created_at', cost: 'cost', totalTokens: 'total_tokens', latency: 'response_time' };

/** fromLogDoc expects the text fields; projected-out ones come back empty. */
const listed = (doc: Document) => fromLogDoc({ request_body: '', response_body: '', request_headers: '{}', response_headers: '{}', ...doc } as LogDoc);

/** One small query per method, so each can move to another storage layout on its own. */
export function createLogBrowseRepository(db: Db): LogBrowseRepository {
  const col: Collection<LogDoc> = db.collection(COLLECTIONS.logs);
  return {
    listSorted: (workspaceId, filter, { sort, offset, limit }) =>
      withSpan('db logs.find sorted', DB_ATTRS, async () => {
        const dir = sort.direction === 'asc' ? 1 : -1;
        const order: Sort = { [SORT_COLUMNS[sort.field]]: dir, _id: dir };
        const docs = await col.find(toMongoFilter(workspaceId, filter)).sort(order).skip(offset).limit(limit).toArray();
        return docs.map(fromLogDoc);
      }),
    listTraceRoots: (workspaceId, filter, { first, after }) =>
      withSpan('db logs.find trace roots', DB_ATTRS, async () => {
        const q: Document = toMongoFilter(workspaceId, filter);
        const roots: Document[] = [{ trace_id: { $exists: true } }, { parent_span_id: { $exists: false } }];
        q.$and = [...(q.$and ?? []), ...roots, ...(after ? [olderThan(after)] : [])];
        const docs = await col.find(q, { projection: WITHOUT_BODIES }).sort(NEWEST_FIRST).limit(first).toArray();
        return docs.map(listed);
      }),
    traceSpanStats: (workspaceId, traceIds, limit) =>
      withSpan('db logs.find trace stats', DB_ATTRS, async () => {
        if (traceIds.length === 0) return [];
        const projection = { _id: 1, trace_id: 1, parent_span_id: 1, created_at: 1, response_time: 1, total_tokens: 1, cost: 1, is_success: 1 };
        const docs = await col.find({ workspace_id: workspaceId, trace_id: { $in: traceIds } }, { projection }).limit(limit).toArray();
        return docs.map((d) => ({ id: d._id, traceId: d.trace_id!, isRoot: d.parent_span_id === undefined || d.parent_span_id === null, createdAt: d.created_at, responseTimeMs: d.response_time, totalTokens: d.total_tokens, cost: d.cost, isSuccess: d.is_success }));
      }),
    recentValues: (workspaceId, since, limit) =>
      withSpan('db logs.find recent values', DB_ATTRS, async () => {
        const q: Document = { workspace_id: workspaceId, ...(since ? { created_at: { $gte: since } } : {}) };
        const projection = { _id: 1, model: 1, provider: 1, status_code: 1, 'metadata.k': 1 };
        const docs = await col.find(q, { projection }).sort(NEWEST_FIRST).limit(limit).toArray();
        return docs.map((d) => ({ model: d.model, provider: d.provider, statusCode: d.status_code, metadataKeys: (d.metadata ?? []).map((m) => m.k) }));
      }),
  };
}
