import type { Db } from 'mongodb';

/**
 * The database server's clock, from `hello.localTime` (MongoDB and FerretDB 1.24 both report it; FerretDB
 * has no `$$NOW` in queries). Leases compare times from this one clock, so a worker whose own clock is
 * skewed can neither expire a live lease early nor keep a dead one alive.
 */
export async function serverNow(db: Db): Promise<Date> {
  const hello = await db.admin().command({ hello: 1 });
  const t = hello.localTime;
  if (!(t instanceof Date)) throw new Error('the database did not report its time (hello.localTime)');
  return t;
}
