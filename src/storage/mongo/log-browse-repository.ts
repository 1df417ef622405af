import type { Document } from 'mongodb';
import type { LogBrowseRepository, LogSortField } from '../../domain/browse/browse-model.js';
import { withSpan } from '../../telemetry.js';
import { fromLogDoc } from './log-document.js';
import { toMongoFilter } from './log-filter-query.js';
import type { SegmentStore } from './log-repository.js';
import { compareSortKeys, type SegmentEntry, type SortedColumn, type SortKey } from './segments/catalog.js';
import { metaKeyOf } from './segments/segment-docs.js';
import type { Located } from './segments/segment-reads.js';

const DB_ATTRS = { 'db.system': 'mongodb', 'db.collection.name': 'logs' };

const SORT_COLUMNS: Record<LogSortField, SortedColumn | 'created_at'> = {
  createdAt: 'created_at',
  cost: 'cost',
  totalTokens: 'total_tokens',
  latency: 'response_time',
};

/** One small query per method over the segmented layout (see log-repository.ts). */
export function createLogBrowseRepository(store: SegmentStore): LogBrowseRepository {
  /** A traced read that goes before background work (segments/read-priority.ts). */
  const interactive = <T>(name: string, read: () => Promise<T>) => withSpan(name, DB_ATTRS, () => store.priority.interactive(read));
  return {
    listSorted: (workspaceId, filter, { sort, offset, limit }) =>
      interactive('db logs.find sorted', async () => {
        const want = offset + limit;
        if (sort.field === 'createdAt' && sort.direction === 'desc') {
          const { rows, segs } = await store.pageNewestFirst(workspaceId, filter, want);
          return (await store.withBodies(rows.slice(offset), segs)).map(fromLogDoc);
        }
        // Any other order may draw from every candidate segment: each gives its best `want`, merged here.
        const dir = sort.direction === 'asc' ? 1 : -1;
        const column = SORT_COLUMNS[sort.field];
        const q = toMongoFilter(filter);
        const keyOf = (r: Located): SortKey => {
          const v = (r.doc as unknown as Record<string, unknown>)[column] as number | Date | undefined;
          return [v === undefined ? null : Number(v), r.doc._id];
        };
        // Missing values sort first ascending, as MongoDB orders null below numbers.
        const cmp = (a: Located, b: Located) => compareSortKeys(dir, keyOf(a), keyOf(b));
        // Sealed segments know their first row in this order: best first, and once one's comes after the
        // page's last row, neither it nor any after it can change the page (a cost sort at volume reads a few
        // segments instead of all). Open segments, and entries without bounds, are read first.
        const boundOf = (e: SegmentEntry): SortKey | undefined => {
          const b = e.sealed ? e.sort_bounds?.[column] : undefined;
          return b && (dir < 0 ? b.hi : b.lo);
        };
        const all = await store.segmentsFor(workspaceId, filter);
        const bounded = all.filter((e) => boundOf(e)).sort((a, b) => compareSortKeys(dir, boundOf(a)!, boundOf(b)!));
        const segs = [...all.filter((e) => !boundOf(e)), ...bounded];
        let rows: Located[] = [];
        for (const e of segs) {
          const best = boundOf(e);
          if (best && rows.length >= want && compareSortKeys(dir, best, keyOf(rows[want - 1]!)) > 0) break;
          const got = await store.reader.read(e, q, { sort: { [column]: dir, _id: dir }, limit: want });
          rows = [...rows, ...got.map((doc) => ({ doc, segment: e._id }))].sort(cmp).slice(0, want);
        }
        return (await store.withBodies(rows.slice(offset), segs)).map(fromLogDoc);
      }),

    listTraceRoots: (workspaceId, filter, { first, after }) =>
      interactive('db logs.find trace roots', async () => {
        const roots: Document[] = [{ trace_id: { $exists: true } }, { parent_span_id: { $exists: false } }];
        const { rows, segs } = await store.pageNewestFirst(workspaceId, filter, first, after, roots);
        // Body documents also hold the packed fields a list shows; the bodies themselves are left out.
        const docs = await store.withBodies(rows, segs);
        return docs.map((d) => fromLogDoc({ ...d, request_body: '', response_body: '', request_headers: '{}', response_headers: '{}' }));
      }),

    traceSpanStats: (workspaceId, traceIds, limit) =>
      interactive('db logs.find trace stats', async () => {
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
      interactive('db logs.find recent values', async () => {
        const { rows } = await store.pageNewestFirst(workspaceId, since ? { from: since } : {}, limit);
        return rows.map(({ doc: d }) => ({ model: d.model, provider: d.provider, statusCode: d.status_code, metadataKeys: d.meta.map(metaKeyOf) }));
      }),
  };
}
