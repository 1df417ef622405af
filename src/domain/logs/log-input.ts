import { z } from 'zod';
import { setOwn } from '../own-property.js';
import { isPlainObject } from '../values.js';

/**
 * The one schema for a log as clients send it (Portkey's CustomLog, plus an optional idempotency `id` and
 * timestamp). Bodies are `unknown`: stored exactly as received, never walked by the validator.
 */
const present = (v: unknown) => v !== undefined;
const jsonBody = z.unknown().refine(present, { message: 'Required' });

/**
 * Headers and metadata: objects of scalar values (strings; numbers and booleans are kept as their text).
 * Checked with one loop instead of z.record: per-entry schemas cost more than the rest of the log put
 * together at ingest rates. Values are converted to strings by `scalarMapToStrings` when stored.
 */
type ScalarMap = Record<string, unknown>;

function scalarMap(opts: { what: string; allowNull?: boolean; allowStringArrays?: boolean; maxKeyLength: number }) {
  return z.custom<ScalarMap>(isPlainObject, { message: `Expected ${opts.what} to be an object` }).superRefine((o, ctx) => {
    for (const k in o) {
      const v = o[k];
      const t = typeof v;
      const ok =
        t === 'string' ||
        t === 'number' ||
        t === 'boolean' ||
        (opts.allowNull && v === null) ||
        (opts.allowStringArrays && Array.isArray(v) && v.every((x) => typeof x === 'string'));
      if (!ok) ctx.addIssue({ code: 'custom', path: [k], message: `Expected a string, number or boolean ${opts.what} value` });
      if (k.length === 0 || k.length > opts.maxKeyLength)
        ctx.addIssue({ code: 'custom', path: [k], message: `${opts.what} keys must be 1-${opts.maxKeyLength} characters` });
    }
  });
}

/** Stored form of a validated scalar map: every value as text; nulls dropped. */
export function scalarMapToStrings(o: ScalarMap): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in o) {
    const v = o[k];
    if (v === null || v === undefined) continue;
    setOwn(out, k, typeof v === 'string' ? v : Array.isArray(v) ? v.join(', ') : String(v));
  }
  return out;
}

const headers = scalarMap({ what: 'header', allowStringArrays: true, maxKeyLength: 1024 }).default({});

const timestamp = z.union([
  z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
  z
    .number()
    .int()
    .min(0)
    .max(8.64e15)
    .transform((n) => new Date(n)),
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
  metadata: scalarMap({ what: 'metadata', allowNull: true, maxKeyLength: 256 }).default({}),
});

export type LogInput = z.infer<typeof logInputSchema>;

export const MAX_LOGS_PER_BATCH = 10_000;
export const logBatchSchema = z.array(logInputSchema).min(1, 'At least one log is required').max(MAX_LOGS_PER_BATCH);
