import type { DerivedFields } from './derive.js';

/** How a derived value is typed wherever it leaves the domain (exports, views). */
export type ColumnKind = 'string' | 'number' | 'boolean';

/**
 * One derived field, everywhere it appears. Adding a derived field is one line here (plus its derivation):
 * the stored document, the list documents that filters read, the export catalogue, the typed views and
 * Portkey's `metrics` object all follow this table.
 */
export interface DerivedColumn {
  /** Name in stored documents (snake_case, top level, so filters and indexes reach it). */
  readonly column: string;
  readonly kind: ColumnKind;
  /** Kept on the list documents that filters, sorts and pages read (the rest is read only with the body). */
  readonly list: boolean;
  /** Export field name, or null when the field is not exported. */
  readonly exportAs: string | null;
  /** Export catalogue description. */
  readonly description: string;
  /** Name in Portkey's LogObject `metrics`. */
  readonly portkey: string;
}

// Generic so that each entry keeps its literal column name and list flag (the stored types derive from them).
const col = <C extends string, L extends boolean, E extends string | null>(
  column: C,
  kind: ColumnKind,
  list: L,
  portkey: string,
  description: string,
  exportAs: E,
) => ({
  column,
  kind,
  list,
  portkey,
  description,
  exportAs,
});

// In the order of the export catalogue (the seed's table).
export const DERIVED_COLUMNS = {
  provider: col('provider', 'string', true, 'ai_org', 'AI provider name', 'ai_provider'),
  model: col('model', 'string', true, 'ai_model', 'AI model name', 'ai_model'),
  requestTokens: col('request_tokens', 'number', true, 'req_units', 'Tokens in the request', 'request_tokens'),
  responseTokens: col('response_tokens', 'number', true, 'res_units', 'Tokens in the response', 'response_tokens'),
  totalTokens: col('total_tokens', 'number', true, 'total_units', 'Total tokens (request + response)', 'total_tokens'),
  cacheReadTokens: col('cache_read_tokens', 'number', false, 'cache_read_units', 'Prompt tokens read from the provider cache', null),
  cacheWriteTokens: col('cache_write_tokens', 'number', false, 'cache_write_units', 'Prompt tokens written to the provider cache', null),
  reasoningTokens: col('reasoning_tokens', 'number', false, 'reasoning_units', 'Reasoning tokens (included in the response tokens)', null),
  cost: col('cost', 'number', true, 'cost', 'Cost of the request in cents', 'cost'),
  costCurrency: col('cost_currency', 'string', false, 'cost_currency', 'Currency of the cost', 'cost_currency'),
  costSource: col('cost_source', 'string', false, 'cost_source', 'Whether the cost was sent by the client or computed from prices', null),
  responseTimeMs: col('response_time', 'number', true, 'response_time', 'Response time in milliseconds', 'response_time'),
  statusCode: col('status_code', 'number', true, 'response_status_code', 'HTTP response status code', 'status_code'),
  // The older seed documents 1/0; true/false is used under every name so one column has one type.
  isSuccess: col('is_success', 'boolean', true, 'is_success', 'Whether the request succeeded (true/false)', 'is_success'),
  cacheStatus: col('cache_status', 'string', false, 'cache_status', 'Cache status (SEMANTIC HIT, HIT, MISS, DISABLED)', 'cache_status'),
  cacheType: col('cache_type', 'string', false, 'cache_type', 'Cache type (SIMPLE, SEMANTIC)', 'cache_type'),
  streamMode: col('stream_mode', 'boolean', false, 'stream_mode', 'Whether the response was streamed (true/false, null when unknown)', 'stream_mode'),
  retrySuccessCount: col('retry_success_count', 'number', false, 'retry_success_count', 'Retries after which the request succeeded', 'retry_success_count'),
  mode: col('mode', 'string', false, 'mode', 'Config top-level strategy (SINGLE, FALLBACK, LOADBALANCE)', 'mode'),
  virtualKey: col('virtual_key', 'string', true, 'virtual_key', 'Virtual key used for the request', 'virtual_key'),
  runtime: col('runtime', 'string', false, 'runtime', 'Runtime environment', 'runtime'),
  runtimeVersion: col('runtime_version', 'string', false, 'runtime_version', 'Runtime environment version', 'runtime_version'),
  sdkVersion: col('sdk_version', 'string', false, 'sdk_version', 'SDK version', 'sdk_version'),
  configId: col('config', 'string', true, 'config', 'Config id used for the request', 'config'),
  promptSlug: col('prompt_slug', 'string', true, 'prompt_slug', 'Prompt id used for the request', 'prompt_slug'),
  promptVersionId: col('prompt_version_id', 'string', false, 'prompt_version_id', 'Version of the prompt template', 'prompt_version_id'),
} as const satisfies { readonly [K in keyof Required<DerivedFields>]: DerivedColumn };

export type DerivedKey = keyof typeof DERIVED_COLUMNS;
export const DERIVED_KEYS = Object.keys(DERIVED_COLUMNS) as DerivedKey[];

type ColumnOf<K extends DerivedKey> = (typeof DERIVED_COLUMNS)[K]['column'];

/** The derived fields as stored: one property per column, typed (and optional) as in DerivedFields. */
export type DerivedDocFields = { [K in keyof DerivedFields as ColumnOf<K>]: DerivedFields[K] };

/** Columns kept on list documents. */
export type ListedDerivedColumn = { [K in DerivedKey]: (typeof DERIVED_COLUMNS)[K]['list'] extends true ? ColumnOf<K> : never }[DerivedKey];

/** Export field names of the exportable derived fields. */
export type ExportedDerivedName = Exclude<{ [K in DerivedKey]: (typeof DERIVED_COLUMNS)[K]['exportAs'] }[DerivedKey], null>;

export const LISTED_DERIVED_COLUMNS = DERIVED_KEYS.filter((k) => DERIVED_COLUMNS[k].list).map((k) => DERIVED_COLUMNS[k].column as ListedDerivedColumn);

/** The stored form of derived fields. Absent ones are not set: each added key makes the document slower to walk. */
export function derivedToColumns(d: DerivedFields, into: Record<string, unknown>): void {
  for (const k of DERIVED_KEYS) {
    const v = d[k];
    if (v !== undefined) into[DERIVED_COLUMNS[k].column] = v;
  }
}

/** Derived fields back from their stored columns. */
export function derivedFromColumns(doc: Record<string, unknown>): DerivedFields {
  const d: Record<string, unknown> = {};
  for (const k of DERIVED_KEYS) d[k] = doc[DERIVED_COLUMNS[k].column];
  return d as unknown as DerivedFields;
}

/** Every derived field, null when absent: the typed APIs' view. */
export function derivedView(d: DerivedFields): { [K in DerivedKey]-?: Exclude<DerivedFields[K], undefined> | null } {
  const v: Record<string, unknown> = {};
  for (const k of DERIVED_KEYS) v[k] = d[k] ?? null;
  return v as never;
}
