import { DomainError } from '../../../domain/errors.js';

/** Queries answer null for what the key cannot see (missing or another workspace's); other errors pass. */
export async function nullIfMissing<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof DomainError && err.code === 'NOT_FOUND') return null;
    throw err;
  }
}
