import type { Feedback } from '../domain/feedback/feedback-model.js';

/** The camelCase Feedback shape shared by the typed APIs (GraphQL and tRPC). Dates are ISO strings. */
export function feedbackView(f: Feedback) {
  return {
    id: f.id,
    traceId: f.traceId,
    value: f.value,
    weight: f.weight,
    metadata: f.metadata,
    createdAt: f.createdAt.toISOString(),
    updatedAt: f.updatedAt.toISOString(),
  };
}
export type FeedbackView = ReturnType<typeof feedbackView>;

/** GraphQL/tRPC feedback input (camelCase) as the domain's Portkey-shaped body. */
export const feedbackBody = (f: { traceId?: unknown; value?: unknown; weight?: unknown; metadata?: unknown }) => ({
  trace_id: f.traceId,
  value: f.value,
  ...(f.weight !== undefined && f.weight !== null && { weight: f.weight }),
  ...(f.metadata !== undefined && f.metadata !== null && { metadata: f.metadata }),
});
