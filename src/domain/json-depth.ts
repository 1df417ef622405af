import { DomainError } from './errors.js';

/**
 * Deepest nesting of objects and arrays accepted in a JSON input (the input itself is level 1).
 * Recursive walks further down (validation, serialisation, BSON) would overflow the stack near 4,000 levels
 * and answer 500; no LLM request or response comes near 512.
 */
export const MAX_JSON_DEPTH = 512;

interface Frame {
  value: unknown;
  depth: number;
  key: string | number;
  parent: Frame | undefined;
}

function pathOf(frame: Frame): (string | number)[] {
  const path: (string | number)[] = [];
  for (let f: Frame | undefined = frame; f?.parent; f = f.parent) path.push(f.key);
  return path.reverse();
}

/**
 * Refuses (400, with the path where the limit is passed) a value nested deeper than `max`. Iterative, so
 * the check itself cannot overflow; only containers are visited, so flat data costs one loop over its keys.
 */
export function assertJsonDepth(value: unknown, pathPrefix: (string | number)[] = [], max = MAX_JSON_DEPTH): void {
  if (typeof value !== 'object' || value === null) return;
  const stack: Frame[] = [{ value, depth: 1, key: '', parent: undefined }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.depth > max) {
      const path = [...pathPrefix, ...pathOf(frame)];
      throw new DomainError('BAD_REQUEST', `JSON nested deeper than ${max} levels at ${path.join('.') || '(root)'}`, [
        { path, message: `Nesting deeper than ${max} levels is not accepted` },
      ]);
    }
    const v = frame.value as Record<string, unknown> | unknown[];
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const c = v[i];
        if (typeof c === 'object' && c !== null) stack.push({ value: c, depth: frame.depth + 1, key: i, parent: frame });
      }
    } else {
      for (const k in v) {
        const c = v[k];
        if (typeof c === 'object' && c !== null) stack.push({ value: c, depth: frame.depth + 1, key: k, parent: frame });
      }
    }
  }
}
