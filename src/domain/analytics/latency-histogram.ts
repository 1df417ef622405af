/**
 * Log-scale latency histogram: bucket i holds values in [R^i, R^(i+1)) with R = 1.02, and answers with the
 * bucket's geometric middle R^(i+0.5). Any value in the bucket is within √1.02 − 1 ≈ 0.995% of that middle, so
 * percentiles read from merged histograms are within 1% (relative) of the exact nearest-rank percentile.
 * 0 ms (and anything ≤ 0) has its own bucket, ZERO_BUCKET, answered as 0.
 * About 700 buckets cover 1 ms .. 10 min; a histogram stores only the buckets it uses.
 */
const R = 1.02;
const LN_R = Math.log(R);
export const ZERO_BUCKET = -100_000;

export function latencyBucket(ms: number): number {
  return ms > 0 ? Math.floor(Math.log(ms) / LN_R) : ZERO_BUCKET;
}

export function bucketValue(bucket: number): number {
  return bucket === ZERO_BUCKET ? 0 : Math.exp((bucket + 0.5) * LN_R);
}

export type Histogram = Map<number, number>;

export function mergeInto(target: Histogram, source: Histogram): void {
  for (const [b, n] of source) target.set(b, (target.get(b) ?? 0) + n);
}

/** Nearest-rank percentiles (p in 0..1) of a histogram; 0 for an empty one. */
export function percentiles(h: Histogram, ps: number[]): number[] {
  let total = 0;
  for (const n of h.values()) total += n;
  if (total === 0) return ps.map(() => 0);
  const sorted = [...h.entries()].sort((a, b) => a[0] - b[0]);
  return ps.map((p) => {
    const rank = Math.max(1, Math.ceil(p * total));
    let seen = 0;
    for (const [b, n] of sorted) {
      seen += n;
      if (seen >= rank) return bucketValue(b);
    }
    return bucketValue(sorted[sorted.length - 1]![0]);
  });
}
