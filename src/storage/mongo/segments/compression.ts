import { promisify } from 'node:util';
import { deflate, deflateSync, inflate, inflateSync } from 'node:zlib';
import { Binary } from 'mongodb';
import { compress, compressSync, uncompressSync } from 'snappy';

const deflateAsync = promisify(deflate);
const inflateAsync = promisify(inflate);

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
 * Snappy-compressed bytes: for data written on every ingest (body and list batches). Brotli at quality 0 looked
 * faster alone (3.4 us a log's body against 9.5-10.6, in a loop over the same batches) but cost twice Snappy's CPU
 * in the server under load (CPU profiles of bench:ingest: 11 us a log against 5), for ~20% fewer bytes.
 */
function snappyBytes(bytes: Uint8Array): Promise<Buffer> {
  return bytes.length <= SYNC_BYTES ? Promise.resolve(compressSync(bytes, COPY_OUT)) : compress(bytes, COPY_OUT);
}

/**
 * The output copied into a buffer of its own size. Without it the result is the encoder's whole output allocation,
 * sized for incompressible input (~1.17x the input, ~5x what chat text compresses to), held outside V8's view until
 * the buffer is collected: 1,000 compressed 116 KB texts kept 195 MB of RSS for 20 MB of data (18.5 MB copied), and
 * open segments keep their body batches in memory.
 */
const COPY_OUT = { copyOutputData: true };

/** How a stored Binary was compressed (or not at all). */
export type Compression = 'snappy';

/**
 * Bytes to store as a Binary: compressed when that is smaller, else as they are (a value near the document size
 * limit must not grow past it). `z` says which, for `restoredBytes`.
 */
export async function compressedWhenSmaller(raw: Uint8Array): Promise<{ data: Binary; z?: Compression }> {
  const z = await snappyBytes(raw);
  return z.length < raw.length ? { data: new Binary(z), z: 'snappy' } : { data: new Binary(raw) };
}

/** The bytes stored by `compressedWhenSmaller`. */
export function restoredBytes(data: Binary, z: Compression | undefined): Uint8Array {
  return z === 'snappy' ? (uncompressSync(data.buffer) as Buffer) : data.buffer;
}

export function inflateBytes(bytes: Uint8Array): Promise<Buffer> {
  // A deflated input inflates to ~5x its size: the same bound, on the input.
  return bytes.length <= SYNC_BYTES / 5 ? Promise.resolve(inflateSync(bytes)) : inflateAsync(bytes);
}
