import { z } from 'zod';
import { type Actor, requireScope, resolveWorkspace } from '../auth/actor.js';
import { validationError } from '../errors.js';
import type { LogBrowseRepository, LogValueSample } from './browse-model.js';

/**
 * Known values for the filter fields, read from the newest SAMPLE_SIZE logs of the workspace (optionally since
 * a time) and kept CACHE_MS per workspace and time bucket, so typing in a filter never waits on a scan. Values
 * only seen on older logs are not offered: a suggestion list, not an inventory.
 */
export const SUGGESTION_FIELDS = ['model', 'provider', 'statusCode', 'metadataKey'] as const;
export type SuggestionField = (typeof SUGGESTION_FIELDS)[number];
export const SAMPLE_SIZE = 5000;
const CACHE_MS = 30_000;
const MAX_CACHED = 200;

const inputSchema = z.object({
  field: z.enum(SUGGESTION_FIELDS),
  prefix: z.string().max(256).nullish(),
  first: z.number().int().min(1).max(100).nullish(),
  since: z.date().nullish(),
  workspaceId: z.string().min(1).max(128).nullish(),
});

export interface Suggestion {
  value: string;
  /** Logs among the sampled ones that carry the value. */
  count: number;
}

type Counts = Record<SuggestionField, Map<string, number>>;

export function createSuggestions(browse: LogBrowseRepository, now: () => number = Date.now) {
  const cache = new Map<string, { at: number; counts: Promise<Counts> }>();

  function counted(workspaceId: string, since: Date | undefined): Promise<Counts> {
    // A minute bucket keeps "last hour" style ranges cacheable.
    const key = `${workspaceId}\n${since ? Math.floor(since.getTime() / 60_000) : ''}`;
    const hit = cache.get(key);
    if (hit && now() - hit.at < CACHE_MS) return hit.counts;
    const counts = browse.recentValues(workspaceId, since, SAMPLE_SIZE).then(countValues);
    counts.catch(() => cache.delete(key));
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(key, { at: now(), counts });
    return counts;
  }

  /** Values of `field` containing `prefix` (any case), those starting with it first, then by frequency. */
  return async function suggest(
    actor: Actor,
    input: { field: string; prefix?: string | null; first?: number | null; since?: Date | null; workspaceId?: string | null },
  ): Promise<Suggestion[]> {
    requireScope(actor, 'logs.list');
    const parsed = inputSchema.safeParse(input);
    if (!parsed.success) throw validationError(parsed.error.issues);
    const { field, prefix, first, since } = parsed.data;
    const counts = (await counted(resolveWorkspace(actor, parsed.data.workspaceId), since ?? undefined))[field];
    const needle = (prefix ?? '').trim().toLowerCase();
    const rank = (v: string) => (v.toLowerCase().startsWith(needle) ? 0 : 1);
    return [...counts]
      .filter(([v]) => v.toLowerCase().includes(needle))
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => rank(a.value) - rank(b.value) || b.count - a.count || a.value.localeCompare(b.value))
      .slice(0, first ?? 20);
  };
}

function countValues(samples: LogValueSample[]): Counts {
  const counts: Counts = { model: new Map(), provider: new Map(), statusCode: new Map(), metadataKey: new Map() };
  const add = (m: Map<string, number>, v: string | undefined) => {
    if (v) m.set(v, (m.get(v) ?? 0) + 1);
  };
  for (const s of samples) {
    add(counts.model, s.model);
    add(counts.provider, s.provider);
    add(counts.statusCode, String(s.statusCode));
    for (const k of s.metadataKeys) add(counts.metadataKey, k);
  }
  return counts;
}
