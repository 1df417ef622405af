import type { DerivedFields } from '../../domain/logs/derive.js';
import { DERIVED_COLUMNS, DERIVED_KEYS } from '../../domain/logs/derived-columns.js';
import type { LogRecord } from '../../domain/logs/log-model.js';
import { parseStoredBody } from '../../domain/logs/stored-body.js';

/** Portkey's LogObject: bodies come back as the JSON the client sent; derived figures under `metrics`. */
export function presentLog(r: LogRecord) {
  const created = r.createdAt.toISOString();
  const portkeyHeaders: Record<string, string> = {};
  if (r.traceId) portkeyHeaders['x-portkey-trace-id'] = r.traceId;
  if (r.spanId) portkeyHeaders['x-portkey-span-id'] = r.spanId;
  if (r.parentSpanId) portkeyHeaders['x-portkey-parent-span-id'] = r.parentSpanId;
  if (r.spanName) portkeyHeaders['x-portkey-span-name'] = r.spanName;
  return {
    _id: r.id,
    id: r.id,
    client_id: r.clientId,
    organisation_id: r.organisationId,
    workspace_id: r.workspaceId,
    created_at: created,
    source: r.source,
    request: {
      url: r.request.url,
      method: r.request.method,
      provider: r.request.provider,
      headers: r.request.headers,
      body: parseStoredBody(r.request.body),
      portkeyHeaders,
    },
    response: {
      status: r.response.status,
      headers: r.response.headers,
      body: parseStoredBody(r.response.body),
      response_time: r.response.responseTime,
      responseTime: r.response.responseTime,
      lastUsedOptionJsonPath: null,
    },
    metadata: r.metadata,
    metrics: {
      id: r.id,
      organisation_id: r.organisationId,
      created_at: created,
      ...portkeyMetrics(r.derived),
      request_url: r.request.url,
      request_method: r.request.method,
      trace_id: r.traceId,
      span_id: r.spanId,
      span_name: r.spanName,
      parent_span_id: r.parentSpanId,
      'metadata.key': Object.keys(r.metadata),
      'metadata.value': Object.values(r.metadata),
    },
  };
}

/** The derived figures under Portkey's names (from the one field table); Portkey sends stream_mode as 1/0. */
function portkeyMetrics(d: DerivedFields): Record<string, unknown> {
  const m: Record<string, unknown> = {};
  for (const k of DERIVED_KEYS) m[DERIVED_COLUMNS[k].portkey] = d[k];
  m[DERIVED_COLUMNS.streamMode.portkey] = d.streamMode === undefined ? undefined : d.streamMode ? 1 : 0;
  return m;
}
