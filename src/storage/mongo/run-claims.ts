import type { Db } from 'mongodb';
import type { RunClaims } from '../../domain/exports/export-model.js';
import { COLLECTIONS } from './collections.js';
import { STATE_READS } from './durability.js';
import { isDuplicateKey } from './driver-errors.js';
import { serverNow } from './server-clock.js';

interface ClaimDoc {
  _id: string;
  owner: string;
  /** On the database server's clock (see server-clock.ts), never the worker's. */
  expiresAt: Date;
}

/**
 * Run claims as documents keyed by export and run: the unique _id makes the insert the atomic step (FerretDB
 * does not make findAndModify atomic). An expired claim is removed by exact match before re-inserting, so two
 * workers taking over at once still end with one owner. Expiry is set and checked on the database's clock.
 */
export function createRunClaims(db: Db): RunClaims {
  const col = db.collection<ClaimDoc>(COLLECTIONS.exportClaims, STATE_READS);
  const leases = new Map<string, number>();
  const key = (exportId: string, run: number) => `${exportId}.${run}`;
  const insert = async (doc: ClaimDoc) => {
    try {
      await col.insertOne(doc);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  };
  return {
    async claim(exportId, run, owner, leaseMs) {
      const _id = key(exportId, run);
      leases.set(owner, leaseMs);
      const now = await serverNow(db);
      const doc = { _id, owner, expiresAt: new Date(now.getTime() + leaseMs) };
      if (await insert(doc)) return true;
      const current = await col.findOne({ _id });
      if (current && current.expiresAt.getTime() > now.getTime()) return false;
      if (current) await col.deleteOne({ _id, owner: current.owner, expiresAt: current.expiresAt });
      return insert(doc);
    },
    async renew(exportId, run, owner) {
      const leaseMs = leases.get(owner) ?? 30_000;
      const now = await serverNow(db);
      const r = await col.updateOne({ _id: key(exportId, run), owner }, { $set: { expiresAt: new Date(now.getTime() + leaseMs) } });
      return r.matchedCount === 1;
    },
    async release(exportId, run, owner) {
      leases.delete(owner);
      await col.deleteOne({ _id: key(exportId, run), owner });
    },
  };
}
