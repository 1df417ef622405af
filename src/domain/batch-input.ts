import type { z } from 'zod';
import { DomainError, validationError } from './errors.js';

/**
 * Parses a body that is one item or an array of them (Portkey's logs and feedback) with the batch schema,
 * whole: a bad item rejects everything. For a single object, error paths start at the object itself,
 * not at a synthetic index 0.
 */
export function parseOneOrMany<T>(
  schema: z.ZodType<T[]>,
  body: unknown,
  opts: { pathPrefix?: (string | number)[]; messages: { notObject: string; single: string; batch: string } },
): { items: T[]; single: boolean } {
  const single = !Array.isArray(body);
  if (single && (typeof body !== 'object' || body === null)) {
    throw new DomainError('BAD_REQUEST', opts.messages.notObject);
  }
  const parsed = schema.safeParse(single ? [body] : body);
  if (!parsed.success) {
    const issues = single ? parsed.error.issues.map((i) => ({ ...i, path: i.path.slice(1) })) : parsed.error.issues;
    throw validationError(issues, opts.pathPrefix ?? [], single ? opts.messages.single : opts.messages.batch);
  }
  return { items: parsed.data, single };
}
