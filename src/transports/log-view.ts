import type { LogRecord, Trace, TraceNode } from '../domain/logs/log-model.js';
import { derivedView } from '../domain/logs/derived-columns.js';
import { parseStoredBody } from '../domain/logs/stored-body.js';

/**
 * The camelCase Log shape shared by the typed APIs (GraphQL and tRPC). Dates are ISO strings.
 * Bodies are parsed only when read (GraphQL reads them only when selected) and then kept.
 */
export function logView(r: LogRecord) {
  let request: { url: string; method: string; headers: Record<string, string>; body: unknown } | undefined;
  let response: { status: number; headers: Record<string, string>; body: unknown } | undefined;
  return {
    id: r.id,
    workspaceId: r.workspaceId,
    source: r.source,
    traceId: r.traceId ?? null,
    spanId: r.spanId ?? null,
    parentSpanId: r.parentSpanId ?? null,
    spanName: r.spanName ?? null,
    createdAt: r.createdAt.toISOString(),
    ...derivedView(r.derived),
    weightedFeedback: r.weightedFeedback ?? null,
    metadata: r.metadata,
    get request() {
      return (request ??= { url: r.request.url, method: r.request.method, headers: r.request.headers, body: parseStoredBody(r.request.body) });
    },
    get response() {
      return (response ??= { status: r.response.status, headers: r.response.headers, body: parseStoredBody(r.response.body) });
    },
  };
}
export type LogView = ReturnType<typeof logView>;

export interface TraceNodeView extends LogView {
  children: TraceNodeView[];
}

/** Each span's view is built once and shared by the flat list and the tree. */
export function traceView(t: Trace) {
  const views = new Map(t.spans.map((s) => [s, logView(s)]));
  const node = (n: TraceNode): TraceNodeView => withChildren(views.get(n.log) ?? logView(n.log), n.children.map(node));
  return { traceId: t.traceId, spans: [...views.values()], roots: t.roots.map(node) };
}

/** A view plus its children, keeping the view's lazy bodies lazy (a spread would parse them). */
function withChildren(view: LogView, children: TraceNodeView[]): TraceNodeView {
  return Object.defineProperties({ children } as TraceNodeView, Object.getOwnPropertyDescriptors(view));
}
