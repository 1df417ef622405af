import type { LogRecord, Trace, TraceNode } from '../domain/logs/log-model.js';
import { parseStoredBody } from '../domain/logs/stored-body.js';

/** The camelCase Log shape shared by the typed APIs (GraphQL and tRPC). Dates are ISO strings. */
export function logView(r: LogRecord) {
  const d = r.derived;
  return {
    id: r.id,
    workspaceId: r.workspaceId,
    source: r.source,
    traceId: r.traceId ?? null,
    spanId: r.spanId ?? null,
    parentSpanId: r.parentSpanId ?? null,
    spanName: r.spanName ?? null,
    createdAt: r.createdAt.toISOString(),
    provider: d.provider ?? null,
    model: d.model ?? null,
    requestTokens: d.requestTokens ?? null,
    responseTokens: d.responseTokens ?? null,
    totalTokens: d.totalTokens ?? null,
    cost: d.cost ?? null,
    costCurrency: d.costCurrency ?? null,
    costSource: d.costSource ?? null,
    responseTimeMs: d.responseTimeMs ?? null,
    statusCode: d.statusCode,
    isSuccess: d.isSuccess,
    weightedFeedback: r.weightedFeedback ?? null,
    metadata: r.metadata,
    request: { url: r.request.url, method: r.request.method, headers: r.request.headers, body: parseStoredBody(r.request.body) },
    response: { status: r.response.status, headers: r.response.headers, body: parseStoredBody(r.response.body) },
  };
}
export type LogView = ReturnType<typeof logView>;

export interface TraceNodeView extends LogView {
  children: TraceNodeView[];
}

export function traceView(t: Trace) {
  const node = (n: TraceNode): TraceNodeView => ({ ...logView(n.log), children: n.children.map(node) });
  return { traceId: t.traceId, spans: t.spans.map(logView), roots: t.roots.map(node) };
}
