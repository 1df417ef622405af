import type { Histogram } from './latency-histogram.js';

/**
 * Pre-aggregated figures per workspace and time cell, kept exact by construction: every stored log adds its
 * counts and sums once (only logs actually inserted count, so idempotent retries never double-count).
 *
 * Levels, coarse to fine (all UTC-aligned): hour cells grouped by day, minute cells grouped by hour. A time
 * range is covered by the coarsest cells that fit inside it and minute cells at its edges, so a read touches a
 * few dozen documents, each found by exact id; the seconds before the first and after the last whole minute
 * are read from the logs of those seconds. (No finer level is kept: a log every few seconds, as in a backfill,
 * would cost an upsert per log.)
 */
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface RollupLevel {
  /** Length of one cell. */
  unitMs: number;
  /** Time one stored document covers (its cells are unitMs apart). */
  spanMs: number;
}
export const LEVELS: readonly RollupLevel[] = [
  { unitMs: HOUR, spanMs: DAY },
  { unitMs: MINUTE, spanMs: HOUR },
];

/** The dimensions a cell is split by: rollups answer filters on exactly these. */
export interface Combo {
  provider: string;
  model: string;
  status: number;
  ok: boolean;
}

export interface Stats {
  /** Requests. */
  n: number;
  /** Failed requests (not isSuccess). */
  e: number;
  /** Σ cost in cents (absent costs add 0). */
  cost: number;
  reqTokens: number;
  resTokens: number;
  totTokens: number;
  /** Σ latency (ms) over the requests that have one, and how many do. */
  latSum: number;
  latN: number;
}

export const emptyStats = (): Stats => ({ n: 0, e: 0, cost: 0, reqTokens: 0, resTokens: 0, totTokens: 0, latSum: 0, latN: 0 });

export function addStats(target: Stats, s: Stats): void {
  target.n += s.n;
  target.e += s.e;
  target.cost += s.cost;
  target.reqTokens += s.reqTokens;
  target.resTokens += s.resTokens;
  target.totTokens += s.totTokens;
  target.latSum += s.latSum;
  target.latN += s.latN;
}

/** A combo as one string that is also safe as a document field name (no `.`, no leading `$`). */
const enc = (s: string) => encodeURIComponent(s).replace(/\./g, '%2E');
export const comboKey = (c: Combo) => `${enc(c.provider)}|${enc(c.model)}|${c.status}|${c.ok ? 1 : 0}`;
export function parseComboKey(k: string): Combo {
  const [p, m, s, ok] = k.split('|');
  return { provider: decodeURIComponent(p ?? ''), model: decodeURIComponent(m ?? ''), status: Number(s), ok: ok === '1' };
}
export const userKey = enc;
export const parseUserKey = decodeURIComponent;

/** Figures of one cell (or one log) for one combo. */
export interface Cell {
  /** Start of the cell (ms since epoch); for a single log, its created_at. */
  t: number;
  combo: Combo;
  stats: Stats;
  hist?: Histogram;
}

export interface UserCell {
  t: number;
  user: string;
  n: number;
  cost: number;
}

/** What one batch (or several, merged) adds, keyed so equal cells merge before they are written. */
export interface RollupDelta {
  cells: Map<string, { workspaceId: string; level: number; t: number; combo: string; stats: Stats; hist: Histogram }>;
  users: Map<string, { workspaceId: string; level: number; t: number; user: string; n: number; cost: number }>;
  workspaces: Set<string>;
}

/** Which parts of the cells a read needs (each lives in its own documents at the hour level). */
export interface RollupParts {
  hist: boolean;
  users: boolean;
}

export interface RollupStore {
  /**
   * Adds the delta's figures to the stored rollups, removing from it what it has stored as it goes: if it fails,
   * the delta holds what is left to add. (A write that failed in flight may have been applied by the database
   * anyway; those figures stay in the delta too.)
   */
  apply(delta: RollupDelta): Promise<void>;
  /** Cells of `level` starting in [from, to) (both aligned to the level's unit). */
  readCells(workspaceId: string, reads: { level: number; from: number; to: number }[], parts: RollupParts): Promise<{ cells: Cell[]; users: UserCell[] }>;
  workspaces(): Promise<string[]>;
  /**
   * Forgets every cell that starts before `cutoff` (retention: the logs of those cells are gone). Exact when the
   * cutoff is a whole hour, which retention makes it: no cell then straddles it.
   */
  deleteBefore(cutoff: number): Promise<void>;
}
