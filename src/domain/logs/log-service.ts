import type { Actor } from '../auth/actor.js';
import { ingestLogs } from './ingest-logs.js';
import type { LogRecord, LogRepository, Trace } from './log-model.js';
import { getLog, getTrace } from './read-logs.js';
import { enforceRetention } from './retention.js';

export interface LogService {
  ingest(actor: Actor, input: { workspaceId?: string | null; body: unknown }): Promise<string[]>;
  get(actor: Actor, input: { id: string; workspaceId?: string | null }): Promise<LogRecord>;
  trace(actor: Actor, input: { traceId: string; workspaceId?: string | null }): Promise<Trace>;
  enforceRetention(days: number): Promise<{ deleted: number; cutoff: Date }>;
}

export function createLogService(repo: LogRepository): LogService {
  return {
    ingest: (actor, input) => ingestLogs(repo, actor, input),
    get: (actor, input) => getLog(repo, actor, input),
    trace: (actor, input) => getTrace(repo, actor, input),
    enforceRetention: (days) => enforceRetention(repo, days),
  };
}
