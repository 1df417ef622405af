import type { Filter } from 'mongodb';
import type { LogFilter } from '../../domain/logs/log-filter.js';
import type { LogDoc } from './log-document.js';
import { metaPair } from './segments/segment-docs.js';

/** Newest first, ties broken by id: the order every listing and export uses (index `created`). */
export const NEWEST_FIRST = { created_at: -1, _id: -1 } as const;

type Bound = number | Date | undefined;

function range(min: Bound, max: Bound): Record<string, number | Date> | undefined {
  if (min === undefined && max === undefined) return undefined;
  const r: Record<string, number | Date> = {};
  if (min !== undefined) r.$gte = min;
  if (max !== undefined) r.$lte = max;
  return r;
}

/** A single value is a plain equality (cheapest for both servers); several become $in. */
function oneOf<T>(values: readonly T[] | undefined): T | { $in: T[] } | undefined {
  if (values === undefined) return undefined;
  const unique = [...new Set(values)];
  return unique.length === 1 ? unique[0] : { $in: unique };
}

/**
 * The Mongo query for a domain filter within one segment (a segment holds one workspace's logs, so the
 * workspace is not part of the query). Equality conditions come first, then ranges, as the segment indexes
 * expect (see segment-indexes.ts).
 *
 * Metadata pairs match the list document's `meta` strings (one per pair, see segment-docs.ts): an equality
 * for one pair, `$all` for several; both servers match them against array elements, and MongoDB's
 * `meta_created` index serves them.
 */
export function toMongoFilter(f: LogFilter): Filter<LogDoc> {
  // Built as a plain document, then typed. Feedback bounds never reach storage: withFeedbackScores turns them
  // into the trace ids in range (logs carry no feedback of their own).
  const q: Record<string, unknown> = {};
  const set = (field: string, cond: unknown) => {
    if (cond !== undefined) q[field] = cond;
  };
  set('created_at', range(f.from, f.to));
  set('trace_id', oneOf(f.traceId));
  set('span_id', oneOf(f.spanId));
  set('model', oneOf(f.model));
  set('provider', oneOf(f.provider));
  set('status_code', oneOf(f.statusCode));
  set('is_success', f.isSuccess);
  set('cost', range(f.minCost, f.maxCost));
  set('total_tokens', range(f.minTokens, f.maxTokens));
  set('request_tokens', range(f.minRequestTokens, f.maxRequestTokens));
  set('response_tokens', range(f.minResponseTokens, f.maxResponseTokens));
  set('prompt_slug', oneOf(f.promptSlug));
  set('config', oneOf(f.config));
  set('virtual_key', oneOf(f.virtualKey));

  const pairs = Object.entries(f.metadata ?? {});
  if (pairs.length > 0) {
    q.meta = pairs.length === 1 ? metaPair(pairs[0]![0], pairs[0]![1]) : { $all: pairs.map(([k, v]) => metaPair(k, v)) };
  }
  if (f.modelPrefix?.length) {
    // A case-insensitive anchored regex; MongoDB walks the model index's keys for it, FerretDB tests each row.
    const prefixes = { $or: f.modelPrefix.map((p) => ({ model: { $regex: `^${escapeRegex(p)}`, $options: 'i' } })) };
    q.$and = [...((q.$and as unknown[]) ?? []), prefixes];
  }
  if (f.providerModel?.length) {
    q.$or = f.providerModel.map((p) => ({ provider: p.provider, model: p.model }));
    // Implied by the pairs; gives MongoDB an index (provider_created) for them.
    q.provider ??= oneOf(f.providerModel.map((p) => p.provider));
  }
  return q as Filter<LogDoc>;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Strictly after a row in NEWEST_FIRST order: older, or as old with a smaller id. */
export function olderThan(after: { createdAt: Date; id: string }): Filter<LogDoc> {
  return { $or: [{ created_at: { $lt: after.createdAt } }, { created_at: after.createdAt, _id: { $lt: after.id } }] };
}
