import { z } from 'zod';
import { validationError } from '../errors.js';
import { type LOG_FILTER_KEYS, type LogFilter, located, logFilterSchema, unknownKeys } from './log-filter.js';

/**
 * Portkey's REST GenerationsFilter dialect (log exports), plus `span_id` and the SDK docs'
 * `created_at: {gte, lte}`. It is translated into the one domain filter; nothing else reads it.
 */

const blank = (v: unknown) => (v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v);
// Query strings and loosely typed clients send numbers as text.
const restNumber = z
  .preprocess((v) => (typeof blank(v) === 'string' ? Number((v as string).trim()) : blank(v)), z.number({ error: 'Expected a number' }).optional())
  .optional();
const restString = z.preprocess(blank, z.string().optional()).optional();
/** Portkey sends lists as comma-separated text ("gpt-4o, gpt-4o-mini"); arrays are accepted too. */
const restList = z
  .preprocess(blank, z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))]).optional())
  .transform((v) => (v === undefined ? undefined : (Array.isArray(v) ? v : String(v).split(',')).map((s) => String(s).trim()).filter(Boolean)))
  .optional();
const restMetadata = z
  .preprocess(
    blank,
    z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()], { error: 'Expected a string, number or boolean metadata value' }).transform(String))
      .optional(),
  )
  .optional();

const REST_SHAPE = {
  time_of_generation_min: restString,
  time_of_generation_max: restString,
  created_at: z.preprocess(blank, z.strictObject({ gte: restString, lte: restString }).optional()).optional(),
  total_units_min: restNumber,
  total_units_max: restNumber,
  cost_min: restNumber,
  cost_max: restNumber,
  ai_model: restList,
  prompt_token_min: restNumber,
  prompt_token_max: restNumber,
  completion_token_min: restNumber,
  completion_token_max: restNumber,
  status_code: restList,
  metadata: restMetadata,
  ai_org_model: restList,
  weighted_feedback_min: restNumber,
  weighted_feedback_max: restNumber,
  virtual_keys: restList,
  trace_id: restString,
  span_id: restString,
  configs: restList,
  workspace_slug: restString, // the workspace comes from the key or workspace_id, never from the filter
  prompt_slug: restList,
  page_size: restNumber,
  current_page: restNumber,
};

export const GENERATIONS_FILTER_KEYS = Object.keys(REST_SHAPE);
export const generationsFilterSchema = z.strictObject(REST_SHAPE, { error: unknownKeys(GENERATIONS_FILTER_KEYS) });

/** REST key -> domain key, for the keys that map one to one (ranges, lists, ids). */
const DIRECT = {
  total_units_min: 'minTokens',
  total_units_max: 'maxTokens',
  cost_min: 'minCost',
  cost_max: 'maxCost',
  prompt_token_min: 'minRequestTokens',
  prompt_token_max: 'maxRequestTokens',
  completion_token_min: 'minResponseTokens',
  completion_token_max: 'maxResponseTokens',
  weighted_feedback_min: 'minWeightedFeedback',
  weighted_feedback_max: 'maxWeightedFeedback',
  ai_model: 'model',
  virtual_keys: 'virtualKey',
  configs: 'config',
  prompt_slug: 'promptSlug',
  trace_id: 'traceId',
  span_id: 'spanId',
  metadata: 'metadata',
} as const satisfies Partial<Record<keyof typeof REST_SHAPE, (typeof LOG_FILTER_KEYS)[number]>>;

type Issue = { path: (string | number)[]; message: string };

/**
 * Translates a Portkey GenerationsFilter into the domain filter plus paging (page_size rows from page
 * current_page). Values are checked by the domain schema, and its errors are reported under the REST names.
 */
export function fromGenerationsFilter(raw: unknown, pathPrefix: (string | number)[] = []): { filter: LogFilter; limit?: number; offset?: number } {
  const rest = generationsFilterSchema.safeParse(raw ?? {});
  if (!rest.success) throw validationError(located(rest.error.issues), pathPrefix, 'Invalid filters');
  const r = rest.data;
  const issues: Issue[] = [];
  const domain: Record<string, unknown> = {};
  const restPathOf = new Map<string, (string | number)[]>();
  const put = (key: string, value: unknown, restPath: (string | number)[]) => {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) return;
    if (domain[key] !== undefined) {
      issues.push({ path: restPath, message: `Conflicts with ${restPathOf.get(key)!.join('.')}; give one of them` });
      return;
    }
    domain[key] = value;
    restPathOf.set(key, restPath);
  };

  for (const [restKey, domainKey] of Object.entries(DIRECT)) put(domainKey, r[restKey as keyof typeof DIRECT], [restKey]);
  put('from', r.time_of_generation_min, ['time_of_generation_min']);
  put('to', r.time_of_generation_max, ['time_of_generation_max']);
  put('from', r.created_at?.gte, ['created_at', 'gte']);
  put('to', r.created_at?.lte, ['created_at', 'lte']);
  put(
    'statusCode',
    r.status_code?.map((s) => (/^\d+$/.test(s) ? Number(s) : NaN)),
    ['status_code'],
  );
  if (r.status_code?.some((s) => !/^\d+$/.test(s))) issues.push({ path: ['status_code'], message: 'Expected status codes like "200" or "200,429"' });
  const pairs = r.ai_org_model?.map((s) => {
    const at = s.indexOf('__');
    if (at <= 0 || at + 2 >= s.length) issues.push({ path: ['ai_org_model'], message: `Expected "provider__model" pairs, got "${s}"` });
    return { provider: s.slice(0, at), model: s.slice(at + 2) };
  });
  put('providerModel', pairs, ['ai_org_model']);

  const wholeNumber = (v: number | undefined, min: number) => v === undefined || (Number.isInteger(v) && v >= min);
  if (!wholeNumber(r.page_size, 1)) issues.push({ path: ['page_size'], message: 'Expected a whole number of at least 1' });
  if (!wholeNumber(r.current_page, 0)) issues.push({ path: ['current_page'], message: 'Expected a whole number of at least 0' });
  if (r.current_page !== undefined && r.page_size === undefined) {
    issues.push({ path: ['current_page'], message: 'page_size is required when paging with current_page' });
  }
  if (issues.length) throw validationError(issues, pathPrefix, 'Invalid filters');

  const parsed = logFilterSchema.safeParse(domain);
  if (!parsed.success) {
    // Report under the REST names; list values were comma-separated text, so element indexes mean nothing there.
    const mapped = parsed.error.issues.map((i) => {
      const [key, ...tail] = i.path as (string | number)[];
      const restPath = restPathOf.get(String(key)) ?? [];
      const lowerKey = i.code === 'custom' ? (i.params as { lowerKey?: string } | undefined)?.lowerKey : undefined;
      const message = lowerKey ? `Must not be less than ${restPathOf.get(lowerKey)!.join('.')}` : i.message;
      return { path: restPath[0] === 'metadata' ? [...restPath, ...tail] : restPath, message };
    });
    throw validationError(mapped, pathPrefix, 'Invalid filters');
  }
  const offset = r.page_size !== undefined && r.current_page !== undefined ? r.page_size * r.current_page : undefined;
  return { filter: parsed.data, ...(r.page_size !== undefined && { limit: r.page_size }), ...(offset !== undefined && { offset }) };
}
