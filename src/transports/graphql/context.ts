import type { Actor } from '../../domain/auth/actor.js';
import type { Trace, TraceNode } from '../../domain/logs/log-model.js';
import type { Services } from '../../domain/services.js';

export interface GraphQLContext {
  services: Services;
  /** Authenticates on first use, so errors surface per field and are translated by formatError. */
  actor(): Promise<Actor>;
  /** Authenticates the key again (long-lived subscriptions: a revoked key must stop being served). */
  reauthenticate(): Promise<Actor>;
  /** Origin for links handed out (download URLs). */
  origin: string;
  /** Traces loaded during this operation, indexed by log id: walking `children` costs one query per trace and one lookup per node. */
  traces: Map<string, Promise<IndexedTrace | null>>;
}

export interface IndexedTrace {
  trace: Trace;
  nodeByLogId: Map<string, TraceNode>;
}

export function indexTrace(trace: Trace): IndexedTrace {
  const nodeByLogId = new Map<string, TraceNode>();
  const stack = [...trace.roots];
  while (stack.length) {
    const n = stack.pop()!;
    nodeByLogId.set(n.log.id, n);
    stack.push(...n.children);
  }
  return { trace, nodeByLogId };
}

export function createContext(services: Services, apiKey: string | undefined, origin: string): GraphQLContext {
  let actor: Promise<Actor> | undefined;
  return {
    services,
    actor: () => (actor ??= services.apiKeys.authenticate(apiKey)),
    // Replaces the memo, so fields resolved afterwards (a subscription's downloadUrl) use the fresh answer.
    reauthenticate: () => (actor = services.apiKeys.authenticate(apiKey)),
    origin,
    traces: new Map(),
  };
}
