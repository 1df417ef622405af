import { z } from 'zod';
import { validationError } from '../errors.js';

/**
 * The one domain filter over stored logs. GraphQL's `LogFilter` and tRPC inputs are this schema; Portkey's
 * REST GenerationsFilter is translated into it by `fromGenerationsFilter` (portkey-filter.ts). Exports, lists and counts all
 * take the parsed `LogFilter`, so a rule written here holds for every transport.
 */

const MAX_VALUES = 1000;
const text = z.string().trim().min(1, 'Must not be empty').max(2048);
// Providers are stored lowercase by derivation (REST and OTLP alike), so the filter matches them case-insensitively.
const providerName = text.transform((s) => s.toLowerCase());
const statusCode = z.number().int().min(100).max(599);
const nonNegative = z.number().min(0);
// GraphQL's DateTime scalar hands over Date objects; tRPC and JSON hand over ISO strings.
const instant = z.union([z.iso.datetime({ offset: true }).transform((s) => new Date(s)), z.date()], {
  error: 'Expected an ISO 8601 date-time with a time zone, e.g. 2024-01-31T23:59:59Z',
});

/** A single value or a non-empty list of them, always a list once parsed. */
function oneOrMany<T extends z.ZodType>(item: T) {
  return z.union([item, z.array(item).min(1, 'Give at least one value').max(MAX_VALUES)]).transform((v): z.output<T>[] => (Array.isArray(v) ? v : [v]));
}

/** Optional, and `null` (what GraphQL sends for an explicit null) means "not given". */
function opt<T extends z.ZodType>(schema: T) {
  return schema
    .nullish()
    .transform((v) => (v === null ? undefined : v) as Exclude<z.output<T>, null> | undefined)
    .optional();
}

const shape = {
  from: opt(instant),
  to: opt(instant),
  traceId: opt(oneOrMany(text)),
  spanId: opt(oneOrMany(text)),
  model: opt(oneOrMany(text)),
  /** Models starting with any of these, in any case (`claude` finds claude-3-5-sonnet). */
  modelPrefix: opt(oneOrMany(text)),
  provider: opt(oneOrMany(providerName)),
  providerModel: opt(
    z
      .array(z.strictObject({ provider: providerName, model: text }))
      .min(1, 'Give at least one pair')
      .max(MAX_VALUES),
  ),
  statusCode: opt(oneOrMany(statusCode)),
  isSuccess: opt(z.boolean()),
  /** Every pair must be present on the log. */
  metadata: opt(z.record(z.string().min(1).max(256), z.string().max(8192))),
  minCost: opt(nonNegative),
  maxCost: opt(nonNegative),
  minTokens: opt(nonNegative),
  maxTokens: opt(nonNegative),
  minRequestTokens: opt(nonNegative),
  maxRequestTokens: opt(nonNegative),
  minResponseTokens: opt(nonNegative),
  maxResponseTokens: opt(nonNegative),
  promptSlug: opt(oneOrMany(text)),
  config: opt(oneOrMany(text)),
  virtualKey: opt(oneOrMany(text)),
  // Feedback scores may be negative.
  minWeightedFeedback: opt(z.number()),
  maxWeightedFeedback: opt(z.number()),
};

export const LOG_FILTER_KEYS = Object.keys(shape) as (keyof typeof shape)[];

/** Lower and upper bounds that must not cross: an inverted range is a client bug, not an empty result. */
const RANGES = [
  ['from', 'to'],
  ['minCost', 'maxCost'],
  ['minTokens', 'maxTokens'],
  ['minRequestTokens', 'maxRequestTokens'],
  ['minResponseTokens', 'maxResponseTokens'],
  ['minWeightedFeedback', 'maxWeightedFeedback'],
] as const;

export const unknownKeys = (valid: readonly string[]) => (iss: { code?: string; keys?: string[] }) =>
  iss.code === 'unrecognized_keys' ? `Unknown filter key(s) ${iss.keys!.join(', ')}; valid keys: ${valid.join(', ')}` : undefined;

/** Zod reports unknown keys once at the object; clients are better served by a path to each offending key. */
export function located(issues: readonly z.core.$ZodIssue[]): { path: PropertyKey[]; message: string }[] {
  return issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys.map((k) => ({ path: [...i.path, k], message: i.message })) : [i]));
}

export const logFilterSchema = z
  .strictObject(shape, { error: unknownKeys(LOG_FILTER_KEYS) })
  .superRefine((f, ctx) => {
    for (const [lo, hi] of RANGES) {
      const a = f[lo];
      const b = f[hi];
      if (a !== undefined && b !== undefined && a > b)
        ctx.addIssue({ code: 'custom', path: [hi], message: `Must not be less than ${lo}`, params: { lowerKey: lo } });
    }
  })
  // Explicit nulls leave undefined-valued keys behind; drop them so a filter compares and serialises cleanly.
  .transform((f) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as typeof f);

/** The parsed filter: lists everywhere, Dates for time bounds, providers lowercase. Idempotent to re-parse. */
export type LogFilter = z.output<typeof logFilterSchema>;
/** What GraphQL/tRPC clients send. */
export type LogFilterInput = z.input<typeof logFilterSchema>;

/** Rows to skip and to return after filtering (no cap: exports may take everything). */
export const logPageSchema = z.strictObject({
  limit: opt(z.number().int().min(1)),
  offset: opt(z.number().int().min(0)),
});
export type LogPage = z.output<typeof logPageSchema>;

/** Parses a GraphQL/tRPC filter; a missing filter matches everything. Errors carry paths under `pathPrefix`. */
export function parseLogFilter(raw: unknown, pathPrefix: (string | number)[] = []): LogFilter {
  const r = logFilterSchema.safeParse(raw ?? {});
  if (!r.success) throw validationError(located(r.error.issues), pathPrefix, 'Invalid log filter');
  return r.data;
}
