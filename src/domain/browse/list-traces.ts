import { z } from 'zod';
import { type Actor, requireScope, resolveWorkspace } from '../auth/actor.js';
import { validationError } from '../errors.js';
import { decodeCursor, encodeCursor } from '../logs/list-logs.js';
import { parseLogFilter } from '../logs/log-filter.js';
import type { LogBrowseRepository, TraceSpanStat } from './browse-model.js';

export const MAX_TRACES_PAGE = 200;
const DEFAULT_TRACES_PAGE = 25;
/** Spans read to add up one page of traces; a page of enormous traces reports partial sums past this. */
const MAX_STAT_ROWS = 100_000;

const inputSchema = z.object({
  first: z.number().int().min(1).max(MAX_TRACES_PAGE).nullish(),
  after: z.string().min(1).max(200).nullish(),
  workspaceId: z.string().min(1).max(128).nullish(),
});

export interface TraceSummary {
  traceId: string;
  /** The root span's log. */
  rootLogId: string;
  rootSpanName: string | null;
  startedAt: Date;
  durationMs: number;
  spanCount: number;
  totalTokens: number;
  /** Cents. */
  cost: number;
  errorCount: number;
}

export interface TracePage {
  items: TraceSummary[];
  hasNextPage: boolean;
  endCursor: string | null;
  cursors: string[];
}

/**
 * Recent traces, newest root first. A trace is listed once, at its newest root span (a log with a trace id and
 * no parent span id; REST logs sharing a trace id are all roots), and the filter applies to that root; span
 * count, duration, tokens, cost and errors add up every span of the trace. Traces without any root are not
 * listed. A page can hold fewer than `first` traces when it skipped older roots of traces already listed.
 */
export async function listTraces(
  browse: LogBrowseRepository,
  actor: Actor,
  input: { filter?: unknown; first?: number | null; after?: string | null; workspaceId?: string | null },
): Promise<TracePage> {
  requireScope(actor, 'logs.list');
  const page = inputSchema.safeParse({ first: input.first, after: input.after, workspaceId: input.workspaceId });
  if (!page.success) throw validationError(page.error.issues);
  const filter = parseLogFilter(input.filter ?? {}, ['filter']);
  const workspaceId = resolveWorkspace(actor, page.data.workspaceId);
  const first = page.data.first ?? DEFAULT_TRACES_PAGE;
  const after = page.data.after ? decodeCursor(page.data.after) : undefined;
  const rows = await browse.listTraceRoots(workspaceId, filter, { first: first + 1, after });
  const roots = rows.slice(0, first);
  const stats = groupStats(await browse.traceSpanStats(workspaceId, [...new Set(roots.map((r) => r.traceId!))], MAX_STAT_ROWS));
  const listed = roots.filter((root) => stats.get(root.traceId!)?.newestRoot === root.id || !stats.has(root.traceId!));
  const items = listed.map((root): TraceSummary => {
    const s = stats.get(root.traceId!);
    const start = Math.min(root.createdAt.getTime(), s?.start ?? Infinity);
    const end = Math.max(root.createdAt.getTime() + (root.derived.responseTimeMs ?? 0), s?.end ?? -Infinity);
    return {
      traceId: root.traceId!,
      rootLogId: root.id,
      rootSpanName: root.spanName ?? root.derived.model ?? null,
      startedAt: new Date(start),
      durationMs: Math.max(0, end - start),
      spanCount: s?.count ?? 1,
      totalTokens: s?.tokens ?? root.derived.totalTokens ?? 0,
      cost: s?.cost ?? root.derived.cost ?? 0,
      errorCount: s?.errors ?? (root.derived.isSuccess ? 0 : 1),
    };
  });
  const last = roots.at(-1);
  return { items, hasNextPage: rows.length > first, endCursor: last ? encodeCursor(last) : null, cursors: listed.map(encodeCursor) };
}

function groupStats(rows: TraceSpanStat[]) {
  const by = new Map<
    string,
    { count: number; tokens: number; cost: number; errors: number; start: number; end: number; newestRoot?: string; newestRootAt: number }
  >();
  for (const r of rows) {
    const t = r.createdAt.getTime();
    let g = by.get(r.traceId);
    if (!g) by.set(r.traceId, (g = { count: 0, tokens: 0, cost: 0, errors: 0, start: t, end: t, newestRootAt: -Infinity }));
    // The same order as the list (newest first, ties by larger id), so the row the list meets first is kept.
    if (r.isRoot && (t > g.newestRootAt || (t === g.newestRootAt && r.id > g.newestRoot!))) {
      g.newestRoot = r.id;
      g.newestRootAt = t;
    }
    g.count += 1;
    g.tokens += r.totalTokens ?? 0;
    g.cost += r.cost ?? 0;
    if (!r.isSuccess) g.errors += 1;
    g.start = Math.min(g.start, t);
    g.end = Math.max(g.end, t + (r.responseTimeMs ?? 0));
  }
  return by;
}
