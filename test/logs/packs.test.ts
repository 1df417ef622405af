import { Binary, BSON } from 'mongodb';
import { describe, expect, it } from 'vitest';
import type { SegmentEntry } from '../../src/storage/mongo/segments/catalog.js';
import type { ListDoc } from '../../src/storage/mongo/segments/segment-docs.js';
import type { BodyDoc } from '../../src/storage/mongo/segments/segment-docs.js';
import { PackCache, packCollection, readBodyPacks, writeBodyPacks, writePack } from '../../src/storage/mongo/segments/segment-packs.js';
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

  it('pack bodies into documents under the size limit, and a missing part reads as none', async () => {
    const db = scratch.db();
    // 4 bodies of ~3 MB: more than one pack document holds (8 MB of raw bodies each).
    const bodies: BodyDoc[] = Array.from({ length: 4 }, (_, i) => ({
      _id: `big-${i}`,
      request_headers: '{}',
      request_body: JSON.stringify({ text: `${i} `.repeat(1_500_000) }),
      response_headers: '{}',
      response_body: '{}',
      rest: new Binary(BSON.serialize({ n: i })),
    }));
    const parts = await writeBodyPacks(db, 'seg-bodies', bodies);
    expect(parts).toBe(2);
    const read = await readBodyPacks(db, 'seg-bodies', parts);
    expect(read?.map((b) => [b._id, b.request_body, BSON.deserialize(b.rest.buffer).n])).toEqual(bodies.map((b, i) => [b._id, b.request_body, i]));
    expect(await writeBodyPacks(db, 'seg-bodies', [])).toBe(0);
    await db.collection(packCollection('seg-bodies')).deleteOne({ _id: 'bodies.1' as never });
    expect(await readBodyPacks(db, 'seg-bodies', parts)).toBeNull();
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
