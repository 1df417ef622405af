import type { Collection } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { scratchDatabase } from '../helpers/scratch-database.js';

/**
 * A read or update by exact _id costs what it touches, not what the collection holds. On the embedded database
 * this rests on the launcher's index (FerretDB 1.24 looks _id up by an expression its own index does not cover,
 * so without it every such lookup reads the whole table); on MongoDB it holds anyway.
 */
type Doc = { _id: string; body: string; n: number };
const scratch = scratchDatabase();

async function median(f: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    await f();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[3]!;
}

async function fill(name: string, docs: number): Promise<Collection<Doc>> {
  const col = scratch.db().collection<Doc>(name);
  for (let i = 0; i < docs; i += 1000) {
    await col.insertMany(Array.from({ length: Math.min(1000, docs - i) }, (_, j) => ({ _id: `id-${i + j}`, body: 'x'.repeat(2000), n: 0 })));
  }
  return col;
}

/** Lookups of the last documents inserted: a scan that stops at the first match would still read them all. */
async function timings(col: Collection<Doc>, docs: number): Promise<{ read: number; update: number }> {
  let k = 1;
  const read = await median(() => col.findOne({ _id: `id-${docs - k++}` }));
  k = 1;
  const update = await median(() => col.updateOne({ _id: `id-${docs - k++}` }, { $set: { n: 1 } }));
  return { read, update };
}

describe('lookups by _id', () => {
  it('in a collection of 10,000 created while the server runs cost about what they cost in one of 10', async () => {
    const big = await fill(`big_${Date.now()}`, 10_000);
    const small = await fill(`small_${Date.now()}`, 10);
    await new Promise((r) => setTimeout(r, 500)); // the launcher indexes new tables within ~100 ms

    const inSmall = await timings(small, 10);
    const inBig = await timings(big, 10_000);
    expect(await big.countDocuments({ n: 1 })).toBe(7);
    console.log(
      `[id lookups] by _id in 10 / 10,000 documents of 2 KB: read ${inSmall.read.toFixed(1)} / ${inBig.read.toFixed(1)} ms, update ${inSmall.update.toFixed(1)} / ${inBig.update.toFixed(1)} ms`,
    );
    // Without the index: read 135 ms and update 339 ms in the big collection (every row read), ~2 ms in the small.
    expect(inBig.read).toBeLessThan(4 * inSmall.read + 5);
    expect(inBig.update).toBeLessThan(4 * inSmall.update + 5);
  }, 60_000);
});
