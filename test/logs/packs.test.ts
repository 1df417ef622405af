import { Binary, BSON } from 'mongodb';
import { describe, expect, it } from 'vitest';
import type { SegmentEntry } from '../../src/storage/mongo/segments/catalog.js';
import type { ListDoc } from '../../src/storage/mongo/segments/segment-docs.js';
import type { BodyDoc } from '../../src/storage/mongo/segments/segment-docs.js';
import { type BodyHolder, batchBodies, bodiesIn, bodyHolderOf } from '../../src/storage/mongo/segments/segment-bodies.js';
import { PackCache, packCollection, writePack } from '../../src/storage/mongo/segments/segment-packs.js';
import { scratchDatabase } from '../helpers/scratch-database.js';

/** Packs are stored deflated; packs written plain by an earlier version still read. */
const scratch = scratchDatabase();

const rows = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    _id: `log-${i}`,
    workspace_id: 'ws',
    created_at: new Date(Date.UTC(2026, 0, 1, 0, i)),
    model: 'gpt-4o',
    meta: [`n\u001f${i}`],
  })) as unknown as ListDoc[];
const entry = (id: string) => ({ _id: id, updated_at: new Date(1) }) as SegmentEntry;

describe('segment packs', () => {
  it('are written deflated and read back whole, plain ones from earlier versions too', async () => {
    const db = scratch.db();
    const written = rows(500);
    expect(await writePack(db, 'seg-deflated', written)).toBe(true);
    const stored = await db.collection(packCollection('seg-deflated')).findOne({});
    expect(stored!.z).toBe('deflate');
    const plain = BSON.serialize({ rows: written });
    expect(stored!.rows.length()).toBeLessThan(plain.length / 3);

    await db.collection(packCollection('seg-plain')).insertOne({ _id: 'pack' as never, rows: new Binary(plain) });
    const cache = new PackCache(db);
    for (const id of ['seg-deflated', 'seg-plain']) expect(await cache.rows(entry(id))).toEqual(written);
    expect(await cache.rows(entry('seg-none'))).toBeNull();
  });

  it('body batches stay under the document size limit, and each log points at the batch holding its body', async () => {
    const db = scratch.db();
    const body = (id: string, text: string): BodyDoc => ({
      _id: id,
      request_headers: '{}',
      request_body: JSON.stringify({ text }),
      response_headers: '{}',
      response_body: '{}',
      rest: new Binary(BSON.serialize({ id })),
    });
    // Three bodies of ~6 MB (a batch of their own each: together they would pass 16 MB), then 70 small ones.
    const bodies = [
      ...[0, 1, 2].map((i) => body(`big-${i}`, `${i} `.repeat(3_000_000))),
      ...Array.from({ length: 70 }, (_, i) => body(`small-${i}`, `prompt ${i}`)),
    ];
    const lists = bodies.map((b) => ({ _id: b._id }) as ListDoc);
    const batches = await batchBodies(lists, bodies);
    await db.collection<BodyHolder>('bodies').insertMany(batches);
    for (const b of batches) expect(BSON.calculateObjectSize(b)).toBeLessThan(16 * 1024 * 1024);
    expect(new Set(lists.map((l) => l.body_batch)).size).toBeLessThan(bodies.length / 5);
    for (const [i, l] of lists.entries()) {
      const holder = await db.collection<BodyHolder>('bodies').findOne({ _id: bodyHolderOf(l) });
      expect(bodiesIn(holder!).find((b) => b._id === l._id)).toEqual(bodies[i]);
    }
  });

  it('a one-pass read uses the cache but adds nothing to it', async () => {
    const db = scratch.db();
    const written = rows(50);
    await writePack(db, 'seg-once', written);
    await writePack(db, 'seg-kept', written);
    const cache = new PackCache(db);
    expect(await cache.rows(entry('seg-once'), false)).toEqual(written);
    expect(await cache.rows(entry('seg-kept'))).toEqual(written);
    for (const id of ['seg-once', 'seg-kept']) await db.collection(packCollection(id)).drop();
    // Only the kept one is still served from memory; both are served to one-pass reads while cached.
    expect(await cache.rows(entry('seg-once'))).toBeNull();
    expect(await cache.rows(entry('seg-kept'), false)).toEqual(written);
  });
});
