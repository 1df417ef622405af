import { z } from 'zod';

/**
 * The one schema for a log as clients send it (Portkey's CustomLog, plus an optional idempotency `id` and
 * timestamp). Bodies are `unknown`: stored exactly as received, never walked by the validator.
 */
const present = (v: unknown) => v !== undefined;
const jsonBody = z.unknown().refine(present, { message: 'Required' });

/** Header and metadata values: strings; numbers and booleans are accepted and kept as their text. */
const scalar = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));
const headers = z.record(z.string(), z.union([scalar, z.array(z.string()).transform((a) => a.join(', '))])).default({});

const timestamp = z.union([
  z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
  z.number().int().min(0).max(8.64e15).transform((n) => new Date(n)),
]);

export const logInputSchema = z.object({
  id: z.string().min(1).max(128).optional(),
  created_at: timestamp.optional(),
  timestamp: timestamp.optional(),
  request: z.object({
    url: z.string().min(1).max(8192),
    provider: z.string().min(1).max(100).optional(),
    method: z.string().min(1).max(16).default('POST'),
    headers,
    body: jsonBody,
  }),
  response: z.object({
    status: z.number().int().min(100).max(599).default(200),
    headers,
    body: jsonBody,
    response_time: z.number().min(0).optional(),
  }),
  metadata: z.record(z.string().min(1).max(256), z.union([scalar, z.null()])).default({}),
});

export type LogInput = z.infer<typeof logInputSchema>;

export const MAX_LOGS_PER_BATCH = 10_000;
export const logBatchSchema = z.array(logInputSchema).min(1, 'At least one log is required').max(MAX_LOGS_PER_BATCH);
