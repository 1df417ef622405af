import { describe, expect, it } from 'vitest';
import { type LogFilterInput, parseLogFilter } from '../../src/domain/logs/log-filter.js';
import { NEWEST_FIRST, olderThan, toMongoFilter } from '../../src/storage/mongo/log-filter-query.js';
import { queryShape, SEGMENT_INDEXES, servedBy } from '../../src/storage/mongo/segments/segment-indexes.js';

/**
 * Every query shape the log repository sends to a segment must be served by one of the segment indexes on
 * MongoDB (equality fields first, then the sort, then ranges), so that no read there sorts in memory or scans
 * a whole segment. The filters below cover every LogFilter key alone, and the combinations the web app sends.
 */
const at = '2025-01-01T00:00:00Z';
const FILTERS: LogFilterInput[] = [
  {},
  { from: at },
  { to: at },
  { from: at, to: '2025-02-01T00:00:00Z' },
  { traceId: 't' },
  { traceId: ['t', 'u'] },
  { spanId: 's' },
  { model: 'gpt-4o' },
  { model: ['gpt-4o', 'o3'] },
  { provider: 'openai' },
  { providerModel: [{ provider: 'openai', model: 'gpt-4o' }] },
  { statusCode: 200 },
  { isSuccess: false },
  { metadata: { user: 'u-1' } },
  { metadata: { user: 'u-1', env: 'prod' } },
  { minCost: 1 },
  { maxTokens: 10 },
  { minRequestTokens: 1, maxResponseTokens: 9 },
  { promptSlug: 'p' },
  { config: 'c' },
  { virtualKey: 'v' },
  { minWeightedFeedback: 0 },
  { model: 'gpt-4o', metadata: { feature: 'f-0' } },
  { model: 'gpt-4o', from: at, statusCode: 500 },
  { provider: 'openai', isSuccess: true, metadata: { env: 'prod' } },
];

const served = (q: Record<string, unknown>, sort?: Record<string, 1 | -1>) => SEGMENT_INDEXES.some((index) => servedBy(queryShape(q, sort), index));

describe('segment indexes serve every query shape the repository issues', () => {
  for (const raw of FILTERS) {
    it(`page, next page: ${JSON.stringify(raw)}`, () => {
      const q = toMongoFilter(parseLogFilter(raw)) as Record<string, unknown>;
      expect(served(q, NEWEST_FIRST)).toBe(true);
      const next = { ...q, $and: [olderThan({ createdAt: new Date(at), id: 'x' })] };
      expect(served(next, NEWEST_FIRST)).toBe(true);
    });
  }

  it('trace lookup (oldest first)', () => {
    expect(served({ trace_id: 't' }, { created_at: 1, _id: 1 })).toBe(true);
  });

  it('counts with an equality or a time range', () => {
    for (const raw of FILTERS.filter((f) => Object.keys(f).some((k) => !/^(min|max)/.test(k)) && Object.keys(f).length > 0)) {
      expect({ raw, served: served(toMongoFilter(parseLogFilter(raw)) as Record<string, unknown>) }).toEqual({ raw, served: true });
    }
  });

  it('the check itself rejects indexes that would sort in memory or lead with the wrong field', () => {
    const shape = queryShape({ model: 'm' }, NEWEST_FIRST);
    expect(servedBy(shape, { key: { model: 1, created_at: -1, _id: -1 } })).toBe(true);
    expect(servedBy(shape, { key: { created_at: -1, _id: -1, model: 1 } })).toBe(false);
    expect(servedBy(shape, { key: { model: 1, cost: 1, created_at: -1, _id: -1 } })).toBe(false);
    expect(servedBy(shape, { key: { status_code: 1, created_at: -1, _id: -1 } })).toBe(false);
    expect(servedBy(queryShape({}, NEWEST_FIRST), { key: { created_at: 1, _id: 1 } })).toBe(true);
  });
});
