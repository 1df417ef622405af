import { randomBytes } from 'node:crypto';
import { type Db, GridFSBucket } from 'mongodb';
import type { BlobStore } from '../../domain/exports/export-model.js';

const BUCKET = 'export_files';

/**
 * Export files in GridFS. File ids are strings prefixed by the export id, so the chunks of an upload that
 * died before GridFS wrote its files document (a killed worker) can still be found and removed.
 */
export function createGridFsBlobStore(db: Db): BlobStore {
  const bucket = new GridFSBucket(db, { bucketName: BUCKET, chunkSizeBytes: 255 * 1024 });
  const files = db.collection<{ _id: string; length: number; chunkSize: number }>(`${BUCKET}.files`);
  const chunks = db.collection<{ files_id: string }>(`${BUCKET}.chunks`);
  const prefixRange = (prefix: string) => ({ $gte: prefix, $lt: `${prefix}\uffff` });

  return {
    openUpload(name, meta) {
      const id = `${meta.exportId}.${meta.run}.${randomBytes(4).toString('hex')}`;
      const stream = bucket.openUploadStreamWithId(id as never, name, { metadata: meta });
      return { id, stream };
    },
    openDownload(id, range) {
      // GridFS ranges end exclusively; HTTP ranges end inclusively.
      return bucket.openDownloadStream(id as never, range ? { start: range.start, end: range.end + 1 } : undefined);
    },
    // A file whose chunks are not all there is reported missing: streaming it would stop short of its length.
    async stat(id) {
      const f = await files.findOne({ _id: id });
      if (!f) return null;
      const expected = Math.ceil(f.length / f.chunkSize);
      return (await chunks.countDocuments({ files_id: id })) === expected ? { size: f.length } : null;
    },
    async delete(id) {
      await files.deleteOne({ _id: id });
      await chunks.deleteMany({ files_id: id });
    },
    async deleteForExport(exportId, keep) {
      const prefix = `${exportId}.`;
      const idFilter = keep ? { ...prefixRange(prefix), $ne: keep } : prefixRange(prefix);
      const removed = await files.deleteMany({ _id: idFilter });
      await chunks.deleteMany({ files_id: idFilter });
      return removed.deletedCount;
    },
  };
}
