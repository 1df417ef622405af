/** One score a client gave to a trace (Portkey's feedback). */
export interface Feedback {
  id: string;
  workspaceId: string;
  traceId: string;
  /** Integer in -10..10. */
  value: number;
  /** In 0..1; 1 when not given. */
  weight: number;
  metadata: Record<string, string>;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * What a trace's feedback adds up to. Kept as running sums (one small document per trace, found by exact id)
 * so a log's weighted feedback costs one lookup, whether the log arrived before or after its feedback.
 */
export interface TraceFeedback {
  traceId: string;
  count: number;
  /** Σ value × weight */
  weightedSum: number;
  /** Σ weight */
  weightSum: number;
}

/** Weighted mean of the trace's feedback values; undefined when it has none (or all weights are 0). */
export function weightedScore(t: Pick<TraceFeedback, 'weightedSum' | 'weightSum'> | undefined): number | undefined {
  return t && t.weightSum > 0 ? t.weightedSum / t.weightSum : undefined;
}

export interface FeedbackRepository {
  /** Stores new feedback and adds it to its trace's sums. */
  insert(items: Feedback[]): Promise<void>;
  findById(id: string): Promise<Feedback | null>;
  /** Replaces value/weight/metadata and moves the trace's sums by the difference. */
  update(before: Feedback, after: Feedback): Promise<void>;
  listForTrace(workspaceId: string, traceId: string): Promise<Feedback[]>;
  /** Feedback created in [from, to] (inclusive), for analytics. */
  listCreatedBetween(workspaceId: string, from: Date, to: Date): Promise<Feedback[]>;
  traceSummary(workspaceId: string, traceId: string): Promise<TraceFeedback | undefined>;
  /** Every trace of the workspace that has feedback (read once per export or filtered read). */
  traceSummaries(workspaceId: string): Promise<Map<string, TraceFeedback>>;
}
