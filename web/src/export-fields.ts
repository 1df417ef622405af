/**
 * The fields an export can hold, as the server names them (a copy of the server's catalogue: the web app
 * does not import server code). Current names first, in the order of Portkey's table, then the older aliases.
 */
export interface ExportFieldInfo {
  name: string;
  label: string;
  description: string;
  /** For an older name, the current name it stands for. */
  aliasOf?: string;
}

export const EXPORT_FIELDS: readonly ExportFieldInfo[] = [
  { name: 'id', label: 'ID', description: 'Unique identifier of the log' },
  { name: 'trace_id', label: 'Trace ID', description: 'Trace the request belongs to' },
  { name: 'span_id', label: 'Span ID', description: 'Span id within the trace' },
  { name: 'parent_span_id', label: 'Parent Span ID', description: 'Parent span id within the trace' },
  { name: 'span_name', label: 'Span Name', description: 'Span name' },
  { name: 'created_at', label: 'Created At', description: 'Timestamp of the request (ISO 8601)' },
  { name: 'request', label: 'Request', description: 'Request JSON payload, as sent' },
  { name: 'response', label: 'Response', description: 'Response JSON payload, as received' },
  { name: 'ai_provider', label: 'AI Provider', description: 'AI provider name' },
  { name: 'ai_model', label: 'AI Model', description: 'AI model name' },
  { name: 'request_tokens', label: 'Request Tokens', description: 'Tokens in the request' },
  { name: 'response_tokens', label: 'Response Tokens', description: 'Tokens in the response' },
  { name: 'total_tokens', label: 'Total Tokens', description: 'Total tokens (request + response)' },
  { name: 'cost', label: 'Cost', description: 'Cost of the request in cents' },
  { name: 'cost_currency', label: 'Cost Currency', description: 'Currency of the cost' },
  { name: 'response_time', label: 'Response Time', description: 'Response time in milliseconds' },
  { name: 'status_code', label: 'Status Code', description: 'HTTP response status code' },
  { name: 'weighted_feedback', label: 'Weighted Feedback', description: "Weighted mean of the feedback given to the log's trace" },
  { name: 'is_success', label: 'Is Success', description: 'Whether the request succeeded (true/false)' },
  { name: 'request_url', label: 'Request URL', description: 'Final provider API URL' },
  { name: 'request_method', label: 'Request Method', description: 'HTTP request method' },
  { name: 'cache_status', label: 'Cache Status', description: 'Cache status (SEMANTIC HIT, HIT, MISS, DISABLED)' },
  { name: 'cache_type', label: 'Cache Type', description: 'Cache type (SIMPLE, SEMANTIC)' },
  { name: 'stream_mode', label: 'Stream Mode', description: 'Whether the response was streamed' },
  { name: 'retry_success_count', label: 'Retry Success Count', description: 'Retries after which the request succeeded' },
  { name: 'mode', label: 'Mode', description: 'Config top-level strategy (SINGLE, FALLBACK, LOADBALANCE)' },
  { name: 'virtual_key', label: 'Virtual Key', description: 'Virtual key used for the request' },
  { name: 'runtime', label: 'Runtime', description: 'Runtime environment' },
  { name: 'runtime_version', label: 'Runtime Version', description: 'Runtime environment version' },
  { name: 'sdk_version', label: 'SDK Version', description: 'SDK version' },
  { name: 'config', label: 'Config', description: 'Config id used for the request' },
  { name: 'prompt_slug', label: 'Prompt Slug', description: 'Prompt id used for the request' },
  { name: 'prompt_version_id', label: 'Prompt Version ID', description: 'Version of the prompt template' },
  { name: 'metadata', label: 'Metadata', description: 'Custom metadata, as an object' },
  { name: 'metadata.key', label: 'Metadata Keys', description: 'Custom metadata keys, as an array' },
  { name: 'metadata.value', label: 'Metadata Values', description: 'Custom metadata values, as an array' },
  { name: 'request.body', label: 'request.body', description: 'Older name for Request', aliasOf: 'request' },
  { name: 'response.body', label: 'response.body', description: 'Older name for Response', aliasOf: 'response' },
  { name: 'ai_org', label: 'ai_org', description: 'Older name for AI Provider', aliasOf: 'ai_provider' },
  { name: 'req_units', label: 'req_units', description: 'Older name for Request Tokens', aliasOf: 'request_tokens' },
  { name: 'res_units', label: 'res_units', description: 'Older name for Response Tokens', aliasOf: 'response_tokens' },
  { name: 'total_units', label: 'total_units', description: 'Older name for Total Tokens', aliasOf: 'total_tokens' },
  { name: 'response_status_code', label: 'response_status_code', description: 'Older name for Status Code', aliasOf: 'status_code' },
];

export const EXPORT_FIELD_NAMES: readonly string[] = EXPORT_FIELDS.map((f) => f.name);

/** Portkey's example selection: the 13 common fields. */
export const DEFAULT_EXPORT_FIELDS: readonly string[] = [
  'id',
  'trace_id',
  'created_at',
  'request',
  'response',
  'ai_provider',
  'ai_model',
  'request_tokens',
  'response_tokens',
  'total_tokens',
  'cost',
  'response_time',
  'status_code',
];
