import { type Actor, canSeeWorkspace, requireScope, resolveWorkspace } from '../auth/actor.js';
import { notFound } from '../errors.js';
import { isUuid, logIdFor } from './log-id.js';
import type { LogRecord, LogRepository, Trace, TraceNode } from './log-model.js';

/**
 * A log by its Logport id, or by the client's own idempotency id within the actor's workspace.
 * Another workspace's log is reported as missing.
 */
export async function getLog(repo: LogRepository, actor: Actor, input: { id: string; workspaceId?: string | null }): Promise<LogRecord> {
  requireScope(actor, 'logs.view');
  const visible = (r: LogRecord | null) =>
    r && canSeeWorkspace(actor, r.workspaceId) && (actor.kind === 'workspace' || !input.workspaceId || r.workspaceId === input.workspaceId) ? r : null;
  let record = isUuid(input.id) ? visible(await repo.findById(input.id.toLowerCase())) : null;
  if (!record) record = visible(await repo.findById(logIdFor(resolveWorkspace(actor, input.workspaceId), input.id)));
  if (!record) throw notFound('Log');
  return record;
}

export const MAX_TRACE_SPANS = 10_000;

/** All logs and spans sharing a trace id, assembled into a tree through parent_span_id. */
export async function getTrace(repo: LogRepository, actor: Actor, input: { traceId: string; workspaceId?: string | null }): Promise<Trace> {
  requireScope(actor, 'logs.view');
  const workspaceId = resolveWorkspace(actor, input.workspaceId);
  const spans = await repo.findByTrace(workspaceId, input.traceId, MAX_TRACE_SPANS);
  if (spans.length === 0) throw notFound('Trace');
  return { traceId: input.traceId, spans, roots: buildTree(spans) };
}

const startOf = (r: LogRecord) => (r.span?.startTime ?? r.createdAt).getTime();

/**
 * Spans whose parent is absent from the trace (or who have none) become roots; siblings run in start order.
 * Malformed parent links that form a cycle are broken so that every span stays reachable from a root.
 */
export function buildTree(spans: LogRecord[]): TraceNode[] {
  const nodes = new Map<string, TraceNode>();
  const all = spans.map((log) => ({ log, children: [] as TraceNode[] }));
  for (const n of all) if (n.log.spanId && !nodes.has(n.log.spanId)) nodes.set(n.log.spanId, n);
  const roots: TraceNode[] = [];
  const parentOf = new Map<TraceNode, TraceNode>();
  for (const n of all) {
    const parent = n.log.parentSpanId ? nodes.get(n.log.parentSpanId) : undefined;
    if (parent && parent !== n) {
      parent.children.push(n);
      parentOf.set(n, parent);
    } else roots.push(n);
  }
  const reached = new Set<TraceNode>();
  const visit = (n: TraceNode) => {
    const stack = [n];
    while (stack.length) {
      const cur = stack.pop()!;
      if (reached.has(cur)) continue;
      reached.add(cur);
      stack.push(...cur.children);
    }
  };
  roots.forEach(visit);
  for (const n of all) {
    if (reached.has(n)) continue;
    // n sits on a cycle: detach it from its parent and make it a root.
    const parent = parentOf.get(n)!;
    parent.children.splice(parent.children.indexOf(n), 1);
    roots.push(n);
    visit(n);
  }
  const byStart = (a: TraceNode, b: TraceNode) => startOf(a.log) - startOf(b.log);
  for (const n of all) n.children.sort(byStart);
  return roots.sort(byStart);
}
