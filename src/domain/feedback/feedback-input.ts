import { z } from 'zod';

/** Portkey's FeedbackRequest: `trace_id` and an integer `value` in -10..10; `weight` in 0..1, default 1. */
const value = z.number({ error: 'Expected an integer from -10 to 10' }).int('Expected an integer from -10 to 10').min(-10).max(10);
const weight = z.number({ error: 'Expected a number from 0 to 1' }).min(0).max(1);
// Metadata values are stored as text, like log metadata; nested objects are kept as their JSON.
const metadata = z.record(z.string().min(1).max(256), z.unknown()).transform((o) =>
  Object.fromEntries(
    Object.entries(o)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  ),
);

export const feedbackCreateSchema = z.object({
  trace_id: z.string({ error: 'Required: the trace the feedback is about' }).trim().min(1, 'Must not be empty').max(2048),
  value,
  weight: weight.optional().default(1),
  metadata: metadata.optional().default({}),
});
export const MAX_FEEDBACK_BATCH = 1000;
export const feedbackBatchSchema = z.array(feedbackCreateSchema).min(1, 'Give at least one feedback').max(MAX_FEEDBACK_BATCH);

export const feedbackUpdateSchema = z.object({
  value,
  weight: weight.optional(),
  metadata: metadata.optional(),
});

export type FeedbackCreateInput = z.output<typeof feedbackCreateSchema>;
export type FeedbackUpdateInput = z.output<typeof feedbackUpdateSchema>;
