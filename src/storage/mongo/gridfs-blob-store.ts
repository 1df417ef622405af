import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { Binary, type Db, GridFSBucket } from 'mongodb';
import type { BlobStore } from '../../domain/exports/export-model.js';

const BUCKET = 'export_files';
const CHUNK_BYTES = 255 * 1024;

interface FileDoc {
  _id: string;
  length: number;
  chunkSize: number;
  uploadDate: Date;
  filename: string;
  metadata: Record<string, unknown>;
  /** Chunks have ids `<file id>#<n>` (files written by the driver's GridFS, before this module, do not). */
  chunkIds?: 'numbered';
}
interface ChunkDoc {
  _id: string;
  files_id: string;
  n: number;
  data: Binary;
}
/** An upload in progress, so the chunks of one that died before its files document can still be found. */
interface UploadDoc {
  _id: string;
  exportId: string;
}

const chunkId = (fileId: string, n: number) => `${fileId}#${n}`;

/**
 * Export files in GridFS's layout (`export_files.files` and `.chunks`: any GridFS client can read them), written
 * and read by this module so that every chunk is reached by exact `_id` (`<file id>#<n>`): the driver's GridFS
 * reads chunks with `{files_id, n}` queries, which FerretDB answers by decoding every chunk of every file in the
 * bucket and sorting them in memory (a download after a million-log export would decode gigabytes). Here a
 * download reads one chunk at a time, whatever the bucket holds; on MongoDB, by the `_id` index.
 * File ids are prefixed by the export id; uploads are recorded before their first chunk, so partial files of a
 * killed worker are found and removed without scanning chunks. Files written by earlier versions (through the
 * driver's GridFS, chunk ids unknown) are still read, checked and deleted the driver's way.
 */
export function createGridFsBlobStore(db: Db): BlobStore {
  const files = db.collection<FileDoc>(`${BUCKET}.files`);
  const chunks = db.collection<ChunkDoc>(`${BUCKET}.chunks`);
  const uploads = db.collection<UploadDoc>(`${BUCKET}.uploads`);
  const legacy = new GridFSBucket(db, { bucketName: BUCKET });

  /** Deletes a file's chunks from the first, by exact _id, until one is missing (chunks are written in order). */
  async function deleteChunks(fileId: string): Promise<void> {
    for (let n = 0; ; n++) {
      if ((await chunks.deleteOne({ _id: chunkId(fileId, n) })).deletedCount === 0) return;
    }
  }

  async function deleteFile(fileId: string): Promise<void> {
    const f = await files.findOne({ _id: fileId });
    if (f && f.chunkIds !== 'numbered') await chunks.deleteMany({ files_id: fileId });
    else await deleteChunks(fileId);
    await files.deleteOne({ _id: fileId });
    await uploads.deleteOne({ _id: fileId });
  }

  return {
    openUpload(name, meta) {
      const id = `${meta.exportId}.${meta.run}.${randomBytes(4).toString('hex')}`;
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      let n = 0;
      let length = 0;
      const started = uploads.insertOne({ _id: id, exportId: meta.exportId });
      // Awaited by the first chunk written; an upload aborted before that must not leave the failure unhandled.
      started.catch(() => undefined);
      const writeChunk = async (data: Buffer) => {
        await chunks.insertOne({ _id: chunkId(id, n), files_id: id, n, data: new Binary(data) });
        n++;
        length += data.length;
      };
      /** Writes every whole chunk buffered (all of it when `all`). */
      const flush = async (all: boolean) => {
        await started;
        let buf = Buffer.concat(pending, pendingBytes);
        while (buf.length >= CHUNK_BYTES || (all && buf.length > 0)) {
          await writeChunk(buf.subarray(0, CHUNK_BYTES));
          buf = buf.subarray(Math.min(CHUNK_BYTES, buf.length));
        }
        pending = buf.length ? [buf] : [];
        pendingBytes = buf.length;
      };
      const stream = new Writable({
        write(data: Buffer, _enc, done) {
          pending.push(data);
          pendingBytes += data.length;
          if (pendingBytes < CHUNK_BYTES) return done();
          flush(false).then(() => done(), done);
        },
        final(done) {
          flush(true)
            .then(() =>
              files.insertOne({ _id: id, length, chunkSize: CHUNK_BYTES, uploadDate: new Date(), filename: name, metadata: meta, chunkIds: 'numbered' }),
            )
            .then(() => uploads.deleteOne({ _id: id }))
            .then(() => done(), done);
        },
      });
      return { id, stream };
    },

    openDownload(id, range) {
      let inner: Readable | undefined;
      let next = -1;
      let last = -1;
      let skip = 0;
      let stop = 0;
      return new Readable({
        async read() {
          try {
            if (inner) return void inner.resume(); // the consumer wants more
            if (next < 0) {
              const f = await files.findOne({ _id: id });
              if (!f) throw new Error(`File not found: ${id}`);
              if (f.chunkIds !== 'numbered') {
                // GridFS ranges end exclusively; HTTP ranges end inclusively.
                inner = legacy.openDownloadStream(id as never, range ? { start: range.start, end: range.end + 1 } : undefined);
                inner.on('data', (d: Buffer) => {
                  if (!this.push(d)) inner!.pause();
                });
                inner.on('end', () => this.push(null));
                inner.on('error', (err) => this.destroy(err));
                return;
              }
              const start = range?.start ?? 0;
              const end = Math.min(f.length, range ? range.end + 1 : f.length); // HTTP ranges end inclusively
              if (end <= start) return void this.push(null);
              next = Math.floor(start / f.chunkSize);
              last = Math.floor((end - 1) / f.chunkSize);
              skip = start - next * f.chunkSize;
              stop = end - last * f.chunkSize;
            }
            if (next > last) return void this.push(null);
            const c = await chunks.findOne({ _id: chunkId(id, next) });
            if (!c) throw new Error(`Chunk ${next} of ${id} is missing`);
            const data = c.data.buffer;
            this.push(Buffer.from(data.subarray(skip, next === last ? stop : data.length)));
            skip = 0;
            next++;
          } catch (err) {
            this.destroy(err as Error);
          }
        },
      });
    },

    // A file whose chunks are not all there is reported missing: streaming it would stop short of its length.
    async stat(id) {
      const f = await files.findOne({ _id: id });
      if (!f) return null;
      const count = Math.ceil(f.length / f.chunkSize);
      if (f.chunkIds !== 'numbered') return (await chunks.countDocuments({ files_id: id })) === count ? { size: f.length } : null;
      if (count === 0) return { size: 0 };
      const [first, lastChunk] = await Promise.all([chunks.findOne({ _id: chunkId(id, 0) }), chunks.findOne({ _id: chunkId(id, count - 1) })]);
      return first && lastChunk ? { size: f.length } : null;
    },

    delete: deleteFile,

    async deleteForExport(exportId, keep) {
      // Both collections hold a small document per file, so reading them whole is cheap on any backend.
      const prefix = { $gte: `${exportId}.`, $lt: `${exportId}.\uffff` };
      const ids = new Set([
        ...(await files.find({ _id: prefix }, { projection: { _id: 1 } }).toArray()).map((f) => f._id),
        ...(await uploads.find({ exportId }, { projection: { _id: 1 } }).toArray()).map((u) => u._id),
      ]);
      ids.delete(keep ?? '');
      for (const id of ids) await deleteFile(id);
      return ids.size;
    },
  };
}
