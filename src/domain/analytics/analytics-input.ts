import { z } from 'zod';
import { DomainError, validationError } from '../errors.js';
import { type LogFilter, parseLogFilter } from '../logs/log-filter.js';
import { fromGenerationsFilter } from '../logs/portkey-filter.js';

/** A filter with both time bounds: analytics always read a bounded range. */
export type RangeFilter = LogFilter & { from: Date; to: Date };

export function requireRange(filter: LogFilter, names = { from: 'from', to: 'to' }): RangeFilter {
  const missing = [!filter.from && names.from, !filter.to && names.to].filter((x): x is string => !!x);
  if (missing.length)
    throw new DomainError(
      'BAD_REQUEST',
      `Analytics need a time range: ${missing.join(' and ')} required`,
      missing.map((m) => ({ path: [m], message: 'Required' })),
    );
  return filter as RangeFilter;
}

/** Paging of group lists: Portkey's current_page (from 0) and page_size. */
export const groupPageSchema = z.object({
  currentPage: z.number().int().min(0).default(0),
  pageSize: z.number().int().min(1).max(1000).default(100),
});
export type GroupPage = z.output<typeof groupPageSchema>;

const LISTS = ['trace_id', 'span_id'] as const;

/**
 * Portkey's analytics query parameters (all text) as the domain filter plus paging. They are the export
 * GenerationsFilter, except that trace_id/span_id are comma-separated lists and metadata is JSON text.
 */
export function fromAnalyticsQuery(query: Record<string, string>): { filter: RangeFilter; page: GroupPage; workspaceSlug?: string } {
  const { api_key_ids, metadata, current_page, page_size, workspace_slug, ...rest } = query;
  const issues: { path: string[]; message: string }[] = [];
  if (api_key_ids) issues.push({ path: ['api_key_ids'], message: 'Logport does not record which API key wrote a log, so it cannot filter by it' });
  let meta: unknown;
  if (metadata) {
    try {
      meta = JSON.parse(metadata);
    } catch {
      issues.push({ path: ['metadata'], message: 'Expected a JSON object of key/value pairs, e.g. {"_user":"u-1"}' });
    }
  }
  const lists: Partial<Record<(typeof LISTS)[number], string[]>> = {};
  for (const k of LISTS) {
    if (rest[k] !== undefined) {
      lists[k] = rest[k]!.split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      delete rest[k];
    }
  }
  if (issues.length) throw validationError(issues, [], 'Invalid analytics query');
  const { filter } = fromGenerationsFilter({ ...rest, ...(meta !== undefined && { metadata: meta }) });
  const withLists = parseLogFilter({
    ...filter,
    ...(lists.trace_id?.length && { traceId: lists.trace_id }),
    ...(lists.span_id?.length && { spanId: lists.span_id }),
  });
  const page = groupPageSchema.safeParse({
    ...(current_page !== undefined && { currentPage: Number(current_page) }),
    ...(page_size !== undefined && { pageSize: Number(page_size) }),
  });
  if (!page.success)
    throw validationError(
      page.error.issues.map((i) => ({ ...i, path: [i.path[0] === 'currentPage' ? 'current_page' : 'page_size'] })),
      [],
      'Invalid analytics query',
    );
  return {
    filter: requireRange(withLists, { from: 'time_of_generation_min', to: 'time_of_generation_max' }),
    page: page.data,
    ...(workspace_slug && { workspaceSlug: workspace_slug }),
  };
}

/** A GraphQL/tRPC LogFilter for analytics: the domain filter, with both time bounds required. */
export function parseAnalyticsFilter(raw: unknown, pathPrefix: (string | number)[] = ['filter']): RangeFilter {
  const f = parseLogFilter(raw, pathPrefix);
  return requireRange(f, { from: [...pathPrefix, 'from'].join('.'), to: [...pathPrefix, 'to'].join('.') });
}

export function parseGroupPage(raw: { currentPage?: number | null; pageSize?: number | null }): GroupPage {
  const r = groupPageSchema.safeParse({
    ...(raw.currentPage != null && { currentPage: raw.currentPage }),
    ...(raw.pageSize != null && { pageSize: raw.pageSize }),
  });
  if (!r.success) throw validationError(r.error.issues, [], 'Invalid paging');
  return r.data;
}
