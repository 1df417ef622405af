import type { Collection, Db } from 'mongodb';
import type { ExportRepository, LogExport } from '../../domain/exports/export-model.js';
import { resolveFilter } from '../../domain/logs/filter-spec.js';
import { COLLECTIONS } from './collections.js';
import { STATE_READS } from './durability.js';

/**
 * Exports are stored close to their domain shape; `_id` carries the id. Only the client's filters are
 * stored (as JSON text: they may hold keys MongoDB or FerretDB reject, like metadata keys with dots), with
 * their dialect; the domain filter is re-derived by the same parser on every read.
 */
type ExportDoc = Omit<LogExport, 'id' | 'filters' | 'filter' | 'filterDialect'> & {
  _id: string;
  filters_json: string;
  filter_dialect?: LogExport['filterDialect'];
  /** Written by earlier versions: the parsed domain filter, JSON-encoded. */
  filter_json?: string;
};

const toDoc = ({ id, filters, filter: _derived, filterDialect, ...rest }: LogExport): ExportDoc => ({
  _id: id,
  ...rest,
  filters_json: JSON.stringify(filters),
  filter_dialect: filterDialect,
});

function fromDoc({ _id, filters_json, filter_dialect, filter_json, ...rest }: ExportDoc): LogExport {
  const filters = JSON.parse(filters_json) as Record<string, unknown>;
  // Earlier documents kept no dialect; their parsed filter is itself a valid Logport filter.
  const { filter } = filter_dialect
    ? resolveFilter({ dialect: filter_dialect, value: filters })
    : resolveFilter({ dialect: 'logport', value: JSON.parse(filter_json ?? '{}') });
  return { id: _id, ...rest, filters, filterDialect: filter_dialect ?? 'logport', filter };
}

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
      const docs = await col
        .find(workspaceId ? { workspaceId } : {})
        .sort({ createdAt: -1, _id: -1 })
        .toArray();
      return docs.map(fromDoc);
    },
    async update(id, { unset, ...patch }, guard) {
      const { id: _ignored, filters, filter: _derived, filterDialect, ...plain } = patch;
      const set: Record<string, unknown> = { ...plain };
      if (filters !== undefined) set.filters_json = JSON.stringify(filters);
      if (filterDialect !== undefined) set.filter_dialect = filterDialect;
      for (const [k, v] of Object.entries(set)) if (v === undefined) delete set[k];
      const query = { _id: id, status: { $in: guard.whenStatus }, ...(guard.whenRun !== undefined && { run: guard.whenRun }) };
      const update = { $set: set, ...(unset?.length && { $unset: Object.fromEntries(unset.map((k) => [k, '' as const])) }) };
      const r = await col.updateOne(query, update);
      if (r.matchedCount === 0) return null;
      return findById(id);
    },
    async remove(id, guard) {
      return (await col.deleteOne({ _id: id, status: { $in: guard.whenStatus } })).deletedCount === 1;
    },
  };
}
