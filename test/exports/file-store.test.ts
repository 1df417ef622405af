import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GridFSBucket } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { createGridFsBlobStore } from '../../src/storage/mongo/gridfs-blob-store.js';
import { scratchDatabase } from '../helpers/scratch-database.js';

/**
 * Export files keep GridFS's layout with chunks reachable by exact _id (`<file>#<n>`), so reading, checking and
 * deleting a file never queries the chunks collection as a whole; files written by the driver's GridFS before
 * still read.
 */
const scratch = scratchDatabase();

const bytes = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => i % 251));
async function read(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of stream) parts.push(p as Buffer);
  return Buffer.concat(parts);
}

describe('export file store', () => {
  it('writes numbered chunks, reads whole files and byte ranges across chunks, and deletes partial uploads', async () => {
    const db = scratch.db();
    const store = createGridFsBlobStore(db);
    const content = bytes(600 * 1024); // three chunks of 255 KB
    const up = store.openUpload('a.jsonl', { exportId: 'exp-1', run: 1, contentType: 'application/x-ndjson' });
    await pipeline(Readable.from([content.subarray(0, 1000), content.subarray(1000)]), up.stream);

    const chunkIds = (await db.collection('export_files.chunks').find({ files_id: up.id }).toArray()).map((c) => c._id).sort();
    expect(chunkIds).toEqual([0, 1, 2].map((n) => `${up.id}#${n}`));
    expect(await store.stat(up.id)).toEqual({ size: content.length });
    expect((await read(store.openDownload(up.id))).equals(content)).toBe(true);
    const range = { start: 255 * 1024 - 10, end: 2 * 255 * 1024 + 5 };
    expect((await read(store.openDownload(up.id, range))).equals(content.subarray(range.start, range.end + 1))).toBe(true);

    // An upload that died after two chunks (no files document) is found and removed with the export's strays.
    const dead = store.openUpload('b.jsonl', { exportId: 'exp-1', run: 2, contentType: 'application/x-ndjson' });
    await new Promise<void>((resolve, reject) => dead.stream.write(content, (err) => (err ? reject(err) : resolve())));
    expect(await db.collection('export_files.chunks').countDocuments({ files_id: dead.id })).toBe(2);
    expect(await store.stat(dead.id)).toBeNull();
    expect(await store.deleteForExport('exp-1', up.id)).toBe(1);
    expect(await db.collection('export_files.chunks').countDocuments({ files_id: dead.id })).toBe(0);
    expect(await store.stat(up.id)).toEqual({ size: content.length });

    await store.delete(up.id);
    expect(await store.stat(up.id)).toBeNull();
    expect(await db.collection('export_files.chunks').countDocuments({ files_id: up.id })).toBe(0);
  });

  it('reads, checks and deletes files written through the driver GridFS by earlier versions', async () => {
    const db = scratch.db();
    const content = bytes(300 * 1024);
    const id = 'exp-old.1.abcd';
    await pipeline(
      Readable.from([content]),
      new GridFSBucket(db, { bucketName: 'export_files', chunkSizeBytes: 255 * 1024 }).openUploadStreamWithId(id as never, 'old.jsonl'),
    );
    const store = createGridFsBlobStore(db);
    expect(await store.stat(id)).toEqual({ size: content.length });
    expect((await read(store.openDownload(id))).equals(content)).toBe(true);
    expect((await read(store.openDownload(id, { start: 10, end: 260 * 1024 }))).equals(content.subarray(10, 260 * 1024 + 1))).toBe(true);
    await store.delete(id);
    expect(await store.stat(id)).toBeNull();
    expect(await db.collection('export_files.chunks').countDocuments({ files_id: id })).toBe(0);
  });
});
