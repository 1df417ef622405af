import type { LogRecord } from '../../domain/logs/log-model.js';
import { parseStoredBody } from '../../domain/logs/stored-body.js';

/** Portkey's LogObject: bodies come back as the JSON the client sent; derived figures under `metrics`. */
export function presentLog(r: LogRecord) {
  const d = r.derived;
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
      is_success: d.isSuccess,
      ai_org: d.provider,
      ai_model: d.model,
      req_units: d.requestTokens,
      res_units: d.responseTokens,
      total_units: d.totalTokens,
      cache_read_units: d.cacheReadTokens,
      cache_write_units: d.cacheWriteTokens,
      reasoning_units: d.reasoningTokens,
      cost: d.cost,
      cost_currency: d.costCurrency,
      cost_source: d.costSource,
      request_url: r.request.url,
      request_method: r.request.method,
      response_status_code: d.statusCode,
      response_time: d.responseTimeMs,
      cache_status: d.cacheStatus,
      cache_type: d.cacheType,
      stream_mode: d.streamMode === undefined ? undefined : d.streamMode ? 1 : 0,
      retry_success_count: d.retrySuccessCount,
      trace_id: r.traceId,
      span_id: r.spanId,
      span_name: r.spanName,
      parent_span_id: r.parentSpanId,
      mode: d.mode,
      virtual_key: d.virtualKey,
      runtime: d.runtime,
      runtime_version: d.runtimeVersion,
      sdk_version: d.sdkVersion,
      config: d.configId,
      prompt_slug: d.promptSlug,
      prompt_version_id: d.promptVersionId,
      'metadata.key': Object.keys(r.metadata),
      'metadata.value': Object.values(r.metadata),
    },
  };
}
