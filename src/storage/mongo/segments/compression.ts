import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, brotliDecompressSync, constants, deflate, deflateSync, inflate, inflateSync } from 'node:zlib';
import { Binary } from 'mongodb';
import { uncompressSync } from 'snappy';

const deflateAsync = promisify(deflate);
const inflateAsync = promisify(inflate);
const brotliAsync = promisify(brotliCompress);

/**
 * Below this size compression runs on the event loop: its asynchronous form costs ~3.5x the CPU (measured on 64 KB of
 * chat text at level 1: 660 us against 190 us a call, the stream and thread-pool hand-off costing more than the
 * compression) while blocking for ~0.2 ms buys nothing. Larger inputs (a log of many MB) go to the thread pool.
 */
const SYNC_BYTES = 1024 * 1024;

/** Deflated bytes (level 1: fast, ~4-5x smaller for JSON text). */
export function deflateBytes(bytes: Uint8Array): Promise<Buffer> {
  return bytes.length <= SYNC_BYTES ? Promise.resolve(deflateSync(bytes, { level: 1 })) : deflateAsync(bytes, { level: 1 });
}

/**
 * Brotli at quality 0 (its fastest): for data written on every ingest (body and list batches). Measured on 100 chat
 * logs' bodies (215 KB of BSON): 3.4 us a log and 40 KB, where Snappy (which earlier versions used) took 9.5-10.6 us
 * and 53 KB, and deflate at level 1 10.7 us and 38 KB; on their list documents (58 KB): 0.9 us a log against 5.3.
 * Decoding costs more (3.7 us a log's body against Snappy's 1.0), but a log is decoded only when it is read.
 */
function brotliBytes(bytes: Uint8Array): Promise<Buffer> {
  const options = { params: { [constants.BROTLI_PARAM_QUALITY]: 0, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } };
  return bytes.length <= SYNC_BYTES ? Promise.resolve(brotliCompressSync(bytes, options)) : brotliAsync(bytes, options);
}

/** How a stored Binary was compressed: Brotli, Snappy (stores written by earlier versions), or not at all. */
export type Compression = 'br' | 'snappy';

/**
 * Bytes to store as a Binary: compressed when that is smaller, else as they are (a value near the document size
 * limit must not grow past it). `z` says which, for `restoredBytes`.
 */
export async function compressedWhenSmaller(raw: Uint8Array): Promise<{ data: Binary; z?: Compression }> {
  const z = await brotliBytes(raw);
  return z.length < raw.length ? { data: new Binary(z), z: 'br' } : { data: new Binary(raw) };
}

/** The bytes stored by `compressedWhenSmaller` (or by earlier versions, with Snappy). */
export function restoredBytes(data: Binary, z: Compression | undefined): Uint8Array {
  if (z === 'br') return brotliDecompressSync(data.buffer);
  return z === 'snappy' ? (uncompressSync(data.buffer) as Buffer) : data.buffer;
}

export function inflateBytes(bytes: Uint8Array): Promise<Buffer> {
  // A deflated input inflates to ~5x its size: the same bound, on the input.
  return bytes.length <= SYNC_BYTES / 5 ? Promise.resolve(inflateSync(bytes)) : inflateAsync(bytes);
}
