import { Binary, BSON } from 'mongodb';
import { describe, expect, it } from 'vitest';
import type { SegmentEntry } from '../../src/storage/mongo/segments/catalog.js';
import type { ListDoc } from '../../src/storage/mongo/segments/segment-docs.js';
import type { BodyDoc } from '../../src/storage/mongo/segments/segment-docs.js';
import { type BodyHolder, batchBodies, bodiesIn, bodyHolderOf, packBodies } from '../../src/storage/mongo/segments/segment-bodies.js';
import { PackCache, type PackRef, packCollection, writePack } from '../../src/storage/mongo/segments/segment-packs.js';
import { joinLogDoc } from '../../src/storage/mongo/segments/segment-docs.js';
import { type ListHolder, packLists, readAllLists } from '../../src/storage/mongo/segments/segment-lists.js';
import { compressSync } from 'snappy';
import { deflateSync } from 'node:zlib';
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
const entry = (id: string, pack?: PackRef | false) => ({ _id: id, updated_at: new Date(1), sealed: true, packed: true, ...(pack && { pack }) }) as SegmentEntry;

describe('segment packs', () => {
  it('are written deflated and read back whole, plain ones from earlier versions too', async () => {
    const db = scratch.db();
    const written = rows(500);
    const ref = await writePack(db, 'seg-deflated', written);
    expect(ref).toMatchObject({ chunks: 4 });
    const stored = await db.collection(packCollection('seg-deflated')).find({}).toArray();
    expect(stored.map((d) => d.z)).toEqual(['deflate', 'deflate', 'deflate', 'deflate']);
    const plain = BSON.serialize({ rows: written });
    expect(stored.reduce((n, d) => n + d.rows.length(), 0)).toBeLessThan(plain.length / 3);

    await db.collection(packCollection('seg-plain')).insertOne({ _id: 'pack' as never, rows: new Binary(plain) });
    const cache = new PackCache(db);
    const byId = (a: ListDoc, b: ListDoc) => (a._id < b._id ? -1 : 1);
    expect((await cache.rows(entry('seg-deflated', ref)))!.sort(byId)).toEqual([...written].sort(byId));
    expect(await cache.rows(entry('seg-plain'))).toEqual(written);
    expect(await cache.rows(entry('seg-none'))).toBeNull();
  });

  it('answer a lookup by id from the one chunk that would hold it, and a rewrite replaces every chunk', async () => {
    const db = scratch.db();
    const written = rows(1000);
    const ref = await writePack(db, 'seg-chunks', written);
    expect(ref).toMatchObject({ chunks: 8 });
    const cache = new PackCache(db);
    for (const i of [0, 499, 999]) expect(await cache.row(entry('seg-chunks', ref), `log-${i}`)).toEqual(written[i]);
    expect(await cache.row(entry('seg-chunks', ref), 'log-none')).toBeUndefined();
    // A rewrite (retention) stores a new version: the entry naming the old one finds it gone, not mixed.
    const newer = await writePack(db, 'seg-chunks', written.slice(500));
    expect(newer).toMatchObject({ chunks: 4 });
    expect((await db.collection(packCollection('seg-chunks')).find({}).toArray()).every((d) => String(d._id).startsWith(`${(newer as PackRef).v}.`))).toBe(
      true,
    );
    expect(await new PackCache(db).rows(entry('seg-chunks', ref))).toBeNull();
    expect(await new PackCache(db).row(entry('seg-chunks', ref), 'log-0')).toBeNull();
    expect(await cache.row(entry('seg-chunks', newer), 'log-0')).toBeUndefined();
    expect(await cache.row(entry('seg-chunks', newer), 'log-700')).toEqual(written[700]);
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

  it("a body's other fields count toward its batch's size: large span attributes split a batch", async () => {
    const db = scratch.db();
    const bodies: BodyDoc[] = [0, 1, 2].map((i) => ({
      _id: `span-${i}`,
      request_headers: '{}',
      request_body: '{}',
      response_headers: '{}',
      response_body: '{}',
      rest: { span: { attributes: [{ k: 'gen_ai.prompt', v: `${i} `.repeat(3_000_000) }] } },
    }));
    const lists = bodies.map((b) => ({ _id: b._id }) as ListDoc);
    const batches = await batchBodies(lists, bodies);
    await db.collection<BodyHolder>('bodies-rest').insertMany(batches);
    expect(batches.length).toBeGreaterThan(1);
    for (const [i, l] of lists.entries()) {
      const holder = await db.collection<BodyHolder>('bodies-rest').findOne({ _id: bodyHolderOf(l) });
      expect(bodiesIn(holder!).find((b) => b._id === l._id)).toEqual(bodies[i]);
    }
  });

  it('list batches, body batches and packs written by earlier versions (BSON, Snappy, packed fields) still read', async () => {
    const db = scratch.db();
    const written = rows(3);
    // This version: JSON rows, compressed.
    await db.collection<ListHolder>('lists-mixed').insertMany(await packLists(written.slice(0, 2)));
    // Earlier: BSON rows, Snappy; and one list document of its own.
    const legacy = BSON.serialize({ r: [written[1], written[2]] });
    await db.collection('lists-mixed').insertOne({ _id: 'old-batch' as never, rows: new Binary(compressSync(Buffer.from(legacy))), z: 'snappy' });
    const byId = (a: ListDoc, b: ListDoc) => (a._id < b._id ? -1 : 1);
    expect((await readAllLists(db.collection<ListHolder>('lists-mixed'))).sort(byId)).toEqual(written);

    const oldBody = {
      _id: 'log-0',
      request_headers: '{}',
      request_body: '{"a":1}',
      response_headers: '{}',
      response_body: '{}',
      rest: new Binary(BSON.serialize({ request_url: 'https://old' })),
    };
    await db
      .collection('bodies-old')
      .insertOne({ _id: 'b1' as never, bodies: new Binary(compressSync(Buffer.from(BSON.serialize({ b: [oldBody] })))), z: 'snappy' });
    const holder = await db.collection<BodyHolder>('bodies-old').findOne({ _id: 'b1' });
    expect(joinLogDoc(written[0]!, bodiesIn(holder!)[0])).toMatchObject({ _id: 'log-0', request_url: 'https://old', request_body: '{"a":1}' });
    // Retention rewrites such a batch in this version's form: the packed fields come through.
    const rewritten = await packBodies('b1', bodiesIn(holder!));
    expect(rewritten.f).toBe('v8');
    expect(joinLogDoc(written[0]!, bodiesIn(rewritten)[0])).toMatchObject({ request_url: 'https://old', request_body: '{"a":1}' });

    await db
      .collection(packCollection('seg-bson'))
      .insertOne({ _id: 'v1.0' as never, rows: new Binary(deflateSync(BSON.serialize({ rows: written }))), z: 'deflate' });
    expect(await new PackCache(db).rows(entry('seg-bson', { v: 'v1', chunks: 1 }))).toEqual(written);
  });

  it('a one-pass read uses the cache but adds nothing to it', async () => {
    const db = scratch.db();
    const written = rows(50);
    const once = entry('seg-once', await writePack(db, 'seg-once', written));
    const kept = entry('seg-kept', await writePack(db, 'seg-kept', written));
    const cache = new PackCache(db);
    expect(await cache.rows(once, false)).toEqual(written);
    expect(await cache.rows(kept)).toEqual(written);
    for (const id of ['seg-once', 'seg-kept']) await db.collection(packCollection(id)).drop();
    // Only the kept one is still served from memory; both are served to one-pass reads while cached.
    expect(await cache.rows(once)).toBeNull();
    expect(await cache.rows(kept, false)).toEqual(written);
  });
});
