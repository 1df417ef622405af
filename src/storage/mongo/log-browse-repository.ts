import type { Document } from 'mongodb';
import type { LogBrowseRepository, LogSortField } from '../../domain/browse/browse-model.js';
import { withSpan } from '../../telemetry.js';
import { fromLogDoc } from './log-document.js';
import { toMongoFilter } from './log-filter-query.js';
import type { SegmentStore } from './log-repository.js';
import { metaKeyOf } from './segments/segment-docs.js';
import type { Located } from './segments/segment-reads.js';

const DB_ATTRS = { 'db.system': 'mongodb', 'db.collection.name': 'logs' };

const SORT_COLUMNS: Record<LogSortField, string> = { createdAt: 'created_at', cost: 'cost', totalTokens: 'total_tokens', latency: 'response_time' };

/** One small query per method over the segmented layout (see log-repository.ts). */
export function createLogBrowseRepository(store: SegmentStore): LogBrowseRepository {
  return {
    listSorted: (workspaceId, filter, { sort, offset, limit }) =>
      withSpan('db logs.find sorted', DB_ATTRS, async () => {
        const want = offset + limit;
        if (sort.field === 'createdAt' && sort.direction === 'desc') {
          const { rows, segs } = await store.pageNewestFirst(workspaceId, filter, want);
          return (await store.withBodies(rows.slice(offset), segs)).map(fromLogDoc);
        }
        // Any other order may draw from every candidate segment: each gives its best `want`, merged here.
        const dir = sort.direction === 'asc' ? 1 : -1;
        const column = SORT_COLUMNS[sort.field];
        const q = toMongoFilter(filter);
        const segs = await store.segmentsFor(workspaceId, filter);
        let rows: Located[] = [];
        const value = (r: Located) => (r.doc as unknown as Record<string, unknown>)[column] as number | Date | undefined;
        const cmp = (a: Located, b: Located) => {
          const x = value(a);
          const y = value(b);
          // Missing values sort first ascending, as MongoDB orders null below numbers.
          const nx = x === undefined ? -Infinity : Number(x);
          const ny = y === undefined ? -Infinity : Number(y);
          return dir * (nx - ny) || dir * (a.doc._id < b.doc._id ? -1 : a.doc._id > b.doc._id ? 1 : 0);
        };
        for (const e of segs) {
          const got = await store.reader.read(e, q, { sort: { [column]: dir, _id: dir }, limit: want });
          rows = [...rows, ...got.map((doc) => ({ doc, segment: e._id }))].sort(cmp).slice(0, want);
        }
        return (await store.withBodies(rows.slice(offset), segs)).map(fromLogDoc);
      }),

    listTraceRoots: (workspaceId, filter, { first, after }) =>
      withSpan('db logs.find trace roots', DB_ATTRS, async () => {
        const roots: Document[] = [{ trace_id: { $exists: true } }, { parent_span_id: { $exists: false } }];
        const { rows, segs } = await store.pageNewestFirst(workspaceId, filter, first, after, roots);
        // Body documents also hold the packed fields a list shows; the bodies themselves are left out.
        const docs = await store.withBodies(rows, segs);
        return docs.map((d) => fromLogDoc({ ...d, request_body: '', response_body: '', request_headers: '{}', response_headers: '{}' }));
      }),

    traceSpanStats: (workspaceId, traceIds, limit) =>
      withSpan('db logs.find trace stats', DB_ATTRS, async () => {
        if (traceIds.length === 0) return [];
        const out = [];
        // The Bloom filters of sealed segments leave out those that hold none of these traces.
        for (const e of await store.segmentsFor(workspaceId, { traceId: traceIds })) {
          for (const d of await store.reader.read(e, { trace_id: traceIds.length === 1 ? traceIds[0] : { $in: traceIds } }, { limit: limit - out.length })) {
            out.push({
              id: d._id,
              traceId: d.trace_id!,
              isRoot: d.parent_span_id === undefined || d.parent_span_id === null,
              createdAt: d.created_at,
              responseTimeMs: d.response_time,
              totalTokens: d.total_tokens,
              cost: d.cost,
              isSuccess: d.is_success,
            });
          }
          if (out.length >= limit) break;
        }
        return out;
      }),

    recentValues: (workspaceId, since, limit) =>
      withSpan('db logs.find recent values', DB_ATTRS, async () => {
        const { rows } = await store.pageNewestFirst(workspaceId, since ? { from: since } : {}, limit);
        return rows.map(({ doc: d }) => ({ model: d.model, provider: d.provider, statusCode: d.status_code, metadataKeys: d.meta.map(metaKeyOf) }));
      }),
  };
}
