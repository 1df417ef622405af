import type { Actor } from '../auth/actor.js';
import type { LogRecord, LogRepository } from '../logs/log-model.js';
import type { LogBrowseRepository } from './browse-model.js';
import { listTraces, type TracePage } from './list-traces.js';
import { searchBodies, type BodySearchResult } from './search-bodies.js';
import { createSuggestions, type Suggestion } from './suggestions.js';
import { tailLogs } from './tail-logs.js';

/** Reads for people browsing logs: the traces list, filter suggestions, body search and a live tail. */
export interface BrowseService {
  traces(actor: Actor, input: { filter?: unknown; first?: number | null; after?: string | null; workspaceId?: string | null }): Promise<TracePage>;
  suggest(
    actor: Actor,
    input: { field: string; prefix?: string | null; first?: number | null; since?: Date | null; workspaceId?: string | null },
  ): Promise<Suggestion[]>;
  searchBodies(
    actor: Actor,
    input: { text: string; filter?: unknown; first?: number | null; workspaceId?: string | null },
    opts?: { signal?: AbortSignal },
  ): Promise<BodySearchResult>;
  tail(
    actor: Actor,
    input: { filter?: unknown; workspaceId?: string | null },
    opts?: { intervalMs?: number; signal?: AbortSignal },
  ): Promise<AsyncGenerator<LogRecord[]>>;
}

export function createBrowseService(repo: LogRepository, browse: LogBrowseRepository, opts: { tailIntervalMs?: number } = {}): BrowseService {
  return {
    traces: (actor, input) => listTraces(browse, actor, input),
    suggest: createSuggestions(browse),
    searchBodies: (actor, input, o) => searchBodies(repo, actor, input, o),
    tail: (actor, input, o) => tailLogs(repo, actor, input, { intervalMs: opts.tailIntervalMs, ...o }),
  };
}
