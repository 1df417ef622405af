import type { Actor } from '../auth/actor.js';
import { assertJsonDepth } from '../json-depth.js';
import { ingestLogs } from './ingest-logs.js';
import type { LogRecord, LogRepository } from './log-model.js';
import { listLogs, type ListLogsInput, type LogPageResult } from './list-logs.js';
import type { LogBrowseRepository } from '../browse/browse-model.js';
import { getLog } from './read-logs.js';
import { enforceRetention } from './retention.js';

export interface LogService {
  /** `pathPrefix` places validation errors where the transport's input put the logs (e.g. ["logs"]). */
  ingest(actor: Actor, input: { workspaceId?: string | null; body: unknown; pathPrefix?: (string | number)[] }): Promise<string[]>;
  get(actor: Actor, input: { id: string; workspaceId?: string | null }): Promise<LogRecord>;
  list(actor: Actor, input: ListLogsInput): Promise<LogPageResult>;
  enforceRetention(days: number): Promise<{ deleted: number; cutoff: Date }>;
}

export function createLogService(repo: LogRepository, browse: LogBrowseRepository): LogService {
  return {
    ingest: (actor, input) => {
      // Before anything walks the body recursively (validation, serialisation), so depth is a 400, not a stack overflow.
      assertJsonDepth(input.body, input.pathPrefix);
      return ingestLogs(repo, actor, input);
    },
    get: (actor, input) => getLog(repo, actor, input),
    list: (actor, input) => listLogs(repo, browse, actor, input),
    enforceRetention: (days) => enforceRetention(repo, days),
  };
}
