import type { Collection, Db } from 'mongodb';
import type { ExportRepository, LogExport } from '../../domain/exports/export-model.js';
import { COLLECTIONS } from './collections.js';
import { STATE_READS } from './durability.js';

/** Exports are stored close to their domain shape; `_id` carries the id and filters stay as given. */
type ExportDoc = Omit<LogExport, 'id' | 'filters' | 'filter'> & { _id: string; filters_json: string; filter_json: string };

// Client filters may hold keys MongoDB or FerretDB reject (metadata keys with dots), so they are stored as JSON text.
const toDoc = ({ id, filters, filter, ...rest }: LogExport): ExportDoc => ({
  _id: id,
  ...rest,
  filters_json: JSON.stringify(filters),
  filter_json: JSON.stringify(filter),
});

/** The domain filter's only dates are its time bounds. */
const reviveDates = (k: string, v: unknown) => ((k === 'from' || k === 'to') && typeof v === 'string' ? new Date(v) : v);

const fromDoc = ({ _id, filters_json, filter_json, ...rest }: ExportDoc): LogExport => ({
  id: _id,
  ...rest,
  filters: JSON.parse(filters_json),
  filter: JSON.parse(filter_json, reviveDates),
});

export function createExportRepository(db: Db): ExportRepository {
  const col: Collection<ExportDoc> = db.collection(COLLECTIONS.exports, STATE_READS);
  const findById = async (id: string) => {
    const d = await col.findOne({ _id: id });
    return d && fromDoc(d);
  };
  return {
    async insert(e) {
      await col.insertOne(toDoc(e));
    },
    findById,
    async list({ workspaceId }) {
      const docs = await col.find(workspaceId ? { workspaceId } : {}).sort({ createdAt: -1, _id: -1 }).toArray();
      return docs.map(fromDoc);
    },
    async update(id, { unset, ...patch }, guard) {
      const { id: _ignored, filters, filter, ...plain } = patch;
      const set: Record<string, unknown> = { ...plain };
      if (filters !== undefined) set.filters_json = JSON.stringify(filters);
      if (filter !== undefined) set.filter_json = JSON.stringify(filter);
      for (const [k, v] of Object.entries(set)) if (v === undefined) delete set[k];
      const query = { _id: id, status: { $in: guard.whenStatus }, ...(guard.whenRun !== undefined && { run: guard.whenRun }) };
      const update = { $set: set, ...(unset?.length && { $unset: Object.fromEntries(unset.map((k) => [k, '' as const])) }) };
      const r = await col.updateOne(query, update);
      if (r.matchedCount === 0) return null;
      return findById(id);
    },
  };
}
