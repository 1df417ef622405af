import { randomUUID } from 'node:crypto';
import type { RunClaims } from '../domain/exports/export-model.js';

/**
 * Runs `work` only if no other run of `name` holds the lease, in this process or any other on the same database;
 * returns false (without running) when one does. The lease (a claim document, expiring on the database's clock)
 * is renewed while the work runs, so a long run is never taken for a dead one; a crashed holder's lease lapses.
 * Agenda's own job lock is not enough: it expires after its lock lifetime and FerretDB's findAndModify is not atomic.
 */
export async function runExclusively(claims: RunClaims, name: string, work: () => Promise<void>, leaseMs = 60_000): Promise<boolean> {
  const owner = randomUUID();
  if (!(await claims.claim(name, 0, owner, leaseMs))) return false;
  const renewal = setInterval(() => void claims.renew(name, 0, owner).catch(() => undefined), leaseMs / 3);
  try {
    await work();
    return true;
  } finally {
    clearInterval(renewal);
    await claims.release(name, 0, owner).catch(() => undefined);
  }
}
