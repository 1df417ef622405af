import { BloomFilter } from './bloom.js';
import { compareSortKeys, SORTED_COLUMNS, type SegmentEntry, type SortKey } from './catalog.js';
import type { ListDoc } from './segment-docs.js';

/** Metadata pairs a typical log carries; sizes the metadata Bloom filter with the segment's document limit. */
const PAIRS_PER_LOG = 8;

/** What a segment's catalog entry and Bloom filters say about its documents, built up as they are written. */
export class SegmentStats {
  count = 0;
  min: Date | null = null;
  max: Date | null = null;
  readonly models = new Set<string>();
  readonly providers = new Set<string>();
  readonly statuses = new Set<number>();
  /**
   * Trace ids at ~0.02% false positives: a traces page asks for the spans of 25-200 traces at once, and each
   * id's false positives add up (at 1%, a page of 25 opened a fifth of a million-log store's segments).
   */
  readonly traces: BloomFilter;
  readonly metadata: BloomFilter;
  /**
   * Log ids, so a lookup by id opens only the segment that holds it (one false candidate in ~5,000); kept on
   * the embedded database only (MongoDB reads log_ids through its index, and its segments are large).
   */
  readonly ids?: BloomFilter;
  /** First row each way per sortable column (see SegmentEntry.sort_bounds). */
  readonly sortBounds: Record<string, { hi: SortKey; lo: SortKey }> = {};

  constructor(maxDocs: number, bloomMaxBytes: number, from?: SegmentEntry, withIds = false) {
    this.traces = BloomFilter.sizedFor(maxDocs, bloomMaxBytes, 20);
    this.metadata = BloomFilter.sizedFor(maxDocs * PAIRS_PER_LOG, bloomMaxBytes);
    if (withIds) this.ids = BloomFilter.sizedFor(maxDocs, bloomMaxBytes, 20);
    if (from) {
      this.count = from.count;
      this.min = from.created_min;
      this.max = from.created_max;
      from.models.forEach((m) => this.models.add(m));
      from.providers.forEach((p) => this.providers.add(p));
      from.status_codes.forEach((s) => this.statuses.add(s));
      for (const [c, b] of Object.entries(from.sort_bounds ?? {})) this.sortBounds[c] = { ...b };
    }
  }

  add(d: ListDoc): void {
    this.count++;
    this.ids?.add(d._id);
    if (!this.min || d.created_at < this.min) this.min = d.created_at;
    if (!this.max || d.created_at > this.max) this.max = d.created_at;
    if (d.model !== undefined) this.models.add(d.model);
    if (d.provider !== undefined) this.providers.add(d.provider);
    this.statuses.add(d.status_code);
    if (d.trace_id !== undefined) this.traces.add(d.trace_id);
    for (const pair of d.meta) this.metadata.add(pair);
    for (const c of SORTED_COLUMNS) {
      const v = (d as unknown as Record<string, unknown>)[c];
      const key: SortKey = [typeof v === 'number' ? v : null, d._id];
      const b = this.sortBounds[c];
      if (!b) this.sortBounds[c] = { hi: key, lo: key };
      else {
        if (compareSortKeys(1, key, b.hi) > 0) b.hi = key;
        if (compareSortKeys(1, key, b.lo) < 0) b.lo = key;
      }
    }
  }

  /** The catalog fields these stats determine. */
  fields(): Pick<SegmentEntry, 'count' | 'created_min' | 'created_max' | 'models' | 'providers' | 'status_codes' | 'sort_bounds'> {
    return {
      // A copy: the entry must not change under readers as more rows are added.
      sort_bounds: Object.fromEntries(Object.entries(this.sortBounds).map(([c, b]) => [c, { ...b }])),
      count: this.count,
      created_min: this.min,
      created_max: this.max,
      models: [...this.models],
      providers: [...this.providers],
      status_codes: [...this.statuses],
    };
  }
}
