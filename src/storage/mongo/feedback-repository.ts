import type { Collection, Db } from 'mongodb';
import type { Feedback, FeedbackRepository, TraceFeedback } from '../../domain/feedback/feedback-model.js';
import { COLLECTIONS } from './collections.js';
import { fromKV, type KV, toKV } from './log-document.js';

interface FeedbackDoc {
  _id: string;
  workspace_id: string;
  trace_id: string;
  value: number;
  weight: number;
  metadata: KV[];
  created_at: Date;
  updated_at: Date;
}

/** Running sums per (workspace, trace), found by exact `_id` (the only lookup FerretDB serves without a scan). */
interface TraceFeedbackDoc {
  _id: string;
  workspace_id: string;
  trace_id: string;
  count: number;
  weighted_sum: number;
  weight_sum: number;
}

const traceKey = (workspaceId: string, traceId: string) => `${workspaceId}\u0000${traceId}`;

const toDoc = (f: Feedback): FeedbackDoc => ({
  _id: f.id,
  workspace_id: f.workspaceId,
  trace_id: f.traceId,
  value: f.value,
  weight: f.weight,
  metadata: toKV(f.metadata),
  created_at: f.createdAt,
  updated_at: f.updatedAt,
});

const fromDoc = (d: FeedbackDoc): Feedback => ({
  id: d._id,
  workspaceId: d.workspace_id,
  traceId: d.trace_id,
  value: d.value,
  weight: d.weight,
  metadata: fromKV(d.metadata),
  createdAt: d.created_at,
  updatedAt: d.updated_at,
});

const fromTraceDoc = (d: TraceFeedbackDoc): TraceFeedback => ({ traceId: d.trace_id, count: d.count, weightedSum: d.weighted_sum, weightSum: d.weight_sum });

export function createFeedbackRepository(db: Db): FeedbackRepository {
  const col: Collection<FeedbackDoc> = db.collection(COLLECTIONS.feedback);
  const traces: Collection<TraceFeedbackDoc> = db.collection(COLLECTIONS.feedbackTraces);

  /** One `$inc` upsert per trace, by exact id. */
  async function addToTraces(deltas: { workspaceId: string; traceId: string; count: number; weightedSum: number; weightSum: number }[]) {
    const byKey = new Map<string, (typeof deltas)[number]>();
    for (const d of deltas) {
      const k = traceKey(d.workspaceId, d.traceId);
      const acc = byKey.get(k);
      if (acc) {
        acc.count += d.count;
        acc.weightedSum += d.weightedSum;
        acc.weightSum += d.weightSum;
      } else byKey.set(k, { ...d });
    }
    // One ordered bulk command: parallel upserts make FerretDB's SQLite backend fail with SQLITE_BUSY.
    await traces.bulkWrite(
      [...byKey].map(([k, d]) => ({
        updateOne: {
          filter: { _id: k },
          update: {
            $inc: { count: d.count, weighted_sum: d.weightedSum, weight_sum: d.weightSum },
            $setOnInsert: { workspace_id: d.workspaceId, trace_id: d.traceId },
          },
          upsert: true,
        },
      })),
      { ordered: true },
    );
  }

  return {
    async insert(items) {
      await col.insertMany(items.map(toDoc), { ordered: true });
      await addToTraces(items.map((f) => ({ workspaceId: f.workspaceId, traceId: f.traceId, count: 1, weightedSum: f.value * f.weight, weightSum: f.weight })));
    },
    async findById(id) {
      const d = await col.findOne({ _id: id });
      return d && fromDoc(d);
    },
    async update(before, after) {
      await col.replaceOne({ _id: after.id }, toDoc(after));
      await addToTraces([
        {
          workspaceId: after.workspaceId,
          traceId: after.traceId,
          count: 0,
          weightedSum: after.value * after.weight - before.value * before.weight,
          weightSum: after.weight - before.weight,
        },
      ]);
    },
    async listForTrace(workspaceId, traceId) {
      const docs = await col.find({ workspace_id: workspaceId, trace_id: traceId }).sort({ created_at: 1, _id: 1 }).toArray();
      return docs.map(fromDoc);
    },
    async listCreatedBetween(workspaceId, from, to) {
      const docs = await col.find({ workspace_id: workspaceId, created_at: { $gte: from, $lte: to } }).toArray();
      return docs.map(fromDoc);
    },
    async traceSummary(workspaceId, traceId) {
      const d = await traces.findOne({ _id: traceKey(workspaceId, traceId) });
      return d ? fromTraceDoc(d) : undefined;
    },
    async traceSummaries(workspaceId) {
      const docs = await traces.find({ workspace_id: workspaceId }).toArray();
      return new Map(docs.map((d) => [d.trace_id, fromTraceDoc(d)]));
    },
  };
}
