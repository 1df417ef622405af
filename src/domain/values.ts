/**
 * Small value rules that every ingestion path (REST logs, OTLP spans in either encoding) must apply alike.
 * Each lives here once so the paths cannot drift apart.
 */

export type PlainObject = Record<string, unknown>;

/** A JSON object (not an array, not null). */
export function isPlainObject(v: unknown): v is PlainObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value as an object when it is one, else undefined. */
export function asObject(v: unknown): PlainObject | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as PlainObject) : undefined;
}

/** A finite, non-negative number (numeric strings accepted); anything else counts as absent. */
export function count(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) && n >= 0 ? n : undefined;
  }
  return undefined;
}
