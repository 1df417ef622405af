import { PassThrough, Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EXPORT_FIELD_NAMES, resolveRequestedFields, type ExportRow } from '../../src/domain/exports/export-fields.js';
import { createBatchingWriter, createRowEncoder, csvCell, type BatchingWriterOptions } from '../../src/domain/exports/row-writer.js';
import { parseCsv } from '../helpers/csv.js';

const TRICKY = ['plain', 'a,b', 'say "hi"', 'line1\nline2', 'cr\r\nlf', ' spaced ', 'ünïcödé 🎉 中文', '', '"', ',', '\u2028'];

function row(i: number, text = TRICKY[i % TRICKY.length]!): ExportRow {
  const request = {
    model: 'gpt-4o',
    messages: [{ role: 'user', content: `${text} #${i}` }],
    response_format: { json_schema: { schema: { $defs: { x: { type: 'string' } }, 'a.b': [1, 2.5] } } },
  };
  const response = { id: `r-${i}`, choices: [{ message: { content: text } }], usage: { prompt_tokens: i, completion_tokens: 2 } };
  return {
    id: `log-${i}`,
    createdAt: new Date(Date.UTC(2024, 4, 1, 0, 0, i % 60)),
    traceId: i % 2 ? `trace-${text}` : undefined,
    request: { url: 'https://api.openai.com/v1/chat/completions', method: 'POST', body: JSON.stringify(request) },
    response: { body: JSON.stringify(response) },
    metadata: { user: text, 'a.b': 'c', $k: '1' },
    derived: {
      provider: 'openai',
      model: 'gpt-4o',
      requestTokens: i,
      responseTokens: 2,
      totalTokens: i + 2,
      cost: 0.125,
      statusCode: 200,
      isSuccess: true,
      streamMode: i % 3 ? true : undefined,
    },
  };
}

class Collector extends Writable {
  chunks: Buffer[] = [];
  writes = 0;
  constructor(opts: { highWaterMark?: number; delayMs?: number } = {}) {
    super({
      highWaterMark: opts.highWaterMark,
      write: (chunk: Buffer, _enc, cb) => {
        this.chunks.push(chunk);
        this.writes++;
        if (opts.delayMs === undefined) cb();
        else setTimeout(cb, opts.delayMs);
      },
    });
  }
  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

async function writeAll(lines: string[], sink: NodeJS.WritableStream, opts: BatchingWriterOptions) {
  const w = createBatchingWriter(sink, opts);
  let waits = 0;
  for (const line of lines) {
    const p = w.push(line);
    if (p) {
      waits++;
      await p;
    }
  }
  await w.finish();
  return { writer: w, waits };
}

describe('createRowEncoder: JSONL', () => {
  const names = ['id', 'created_at', 'request', 'response.body', 'metadata', 'trace_id', 'stream_mode', 'cost', 'metadata.key'];
  const enc = createRowEncoder(resolveRequestedFields(names), 'jsonl');

  it('writes one parseable line per row with exactly the requested keys, in order', () => {
    expect(enc.header()).toBe('');
    for (let i = 0; i < 30; i++) {
      const r = row(i);
      const line = enc.encode(r);
      expect(line.endsWith('\n')).toBe(true);
      expect(line.slice(0, -1)).not.toMatch(/[\r\n]/);
      const obj = JSON.parse(line);
      expect(Object.keys(obj)).toEqual(names);
      expect(obj.request).toEqual(JSON.parse(r.request.body));
      expect(obj['response.body']).toEqual(JSON.parse(r.response.body));
      expect(obj.request.response_format.json_schema.schema.$defs).toEqual({ x: { type: 'string' } });
      expect(obj.request.response_format.json_schema.schema['a.b']).toEqual([1, 2.5]);
      expect(obj.metadata).toEqual(r.metadata);
      expect(obj.trace_id).toBe(r.traceId ?? null);
      expect(obj.stream_mode).toBe(r.derived.streamMode ?? null);
      expect(obj['metadata.key']).toEqual(['user', 'a.b', '$k']);
    }
  });

  it('agrees with each field value for every field', () => {
    const all = resolveRequestedFields([...EXPORT_FIELD_NAMES]);
    const line = JSON.parse(createRowEncoder(all, 'jsonl').encode(row(7)));
    expect(Object.keys(line)).toEqual(EXPORT_FIELD_NAMES);
    for (const f of all) expect(line[f.name], f.name).toEqual(f.value(row(7)));
  });
});

describe('createRowEncoder: CSV', () => {
  it('quotes per RFC 4180 and parses back to the same cells', () => {
    const names = ['id', 'trace_id', 'request', 'metadata', 'cost', 'is_success', 'stream_mode', 'ai_org'];
    const fields = resolveRequestedFields(names);
    const enc = createRowEncoder(fields, 'csv');
    const rows = TRICKY.map((t, i) => row(i, t));
    const text = enc.header() + rows.map((r) => enc.encode(r)).join('');
    const parsed = parseCsv(text);
    expect(parsed[0]).toEqual(names);
    expect(parsed).toHaveLength(rows.length + 1);
    rows.forEach((r, i) => {
      const cells = parsed[i + 1]!;
      expect(cells).toEqual(fields.map((f) => f.csv(r)));
      expect(JSON.parse(cells[2]!)).toEqual(JSON.parse(r.request.body));
      expect(JSON.parse(cells[3]!)).toEqual(r.metadata);
      expect(cells[1]).toBe(r.traceId ?? '');
      expect(cells[4]).toBe('0.125');
      expect(cells[5]).toBe('true');
    });
  });

  it('quotes only cells that need it, header names included', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('a\nb')).toBe('"a\nb"');
    expect(csvCell('a\rb')).toBe('"a\rb"');
    expect(csvCell('ünïcödé')).toBe('ünïcödé');
    expect(createRowEncoder(resolveRequestedFields(['metadata.key', 'id']), 'csv').header()).toBe('metadata.key,id\r\n');
  });

  it('prefixes formula-like cells with a quote (OWASP CSV injection), but not plain numbers', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('+cmd')).toBe("'+cmd");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\rx')).toBe('"\'\rx"');
    expect(csvCell('=a,b')).toBe('"\'=a,b"');
    expect(csvCell('-1.5')).toBe('-1.5');
    expect(csvCell('+3e-7')).toBe('+3e-7');
    expect(csvCell('a=b')).toBe('a=b');
  });
});

describe('createBatchingWriter', () => {
  const enc = createRowEncoder(resolveRequestedFields(['id', 'request', 'response', 'metadata']), 'jsonl');
  const lines = Array.from({ length: 3000 }, (_, i) => enc.encode(row(i)));
  const plain = Buffer.from(lines.join(''), 'utf8');

  it('writes every byte in order, in chunks of about batchBytes, counting bytes and rows', async () => {
    const sink = new Collector();
    const { writer } = await writeAll(lines, sink, { gzip: false });
    expect(sink.bytes.equals(plain)).toBe(true);
    expect(writer.bytesWritten).toBe(plain.length);
    expect(writer.rows).toBe(lines.length);
    expect(sink.writes).toBeLessThanOrEqual(Math.ceil(plain.length / 65536) + 1);
    for (const c of sink.chunks.slice(0, -1)) expect(c.length).toBeGreaterThanOrEqual(65536);
    expect(sink.writableFinished).toBe(true);
  });

  for (const gzipLevel of [undefined, 1]) {
    it(`gzip output (level ${gzipLevel ?? 'default'}) gunzips to exactly the plain bytes`, async () => {
      const sink = new Collector();
      const { writer } = await writeAll(lines, sink, { gzip: true, gzipLevel });
      const zipped = sink.bytes;
      expect(zipped.length).toBeLessThan(plain.length / 3);
      expect(gunzipSync(zipped).equals(plain)).toBe(true);
      expect(writer.bytesWritten).toBe(plain.length);
    });
  }

  for (const gzip of [false, true]) {
    it(`respects back-pressure from a slow sink (gzip: ${gzip})`, async () => {
      const sink = new Collector({ highWaterMark: 1024, delayMs: 1 });
      const { waits } = await writeAll(lines, sink, { gzip, batchBytes: 8 * 1024 });
      expect(waits).toBeGreaterThan(0);
      const out = gzip ? gunzipSync(sink.bytes) : sink.bytes;
      expect(out.equals(plain)).toBe(true);
    });
  }

  it('returns no promise while the stream keeps up', () => {
    const w = createBatchingWriter(new Collector(), { gzip: false });
    for (const l of lines.slice(0, 20)) expect(w.push(l)).toBeUndefined();
    w.abort();
  });

  it('writes the header before the rows without counting it, even with no rows', async () => {
    const sink = new Collector();
    const w = createBatchingWriter(sink, { gzip: false, header: 'a,b\r\n' });
    await w.finish();
    expect(sink.bytes.toString()).toBe('a,b\r\n');
    expect(w.rows).toBe(0);
    expect(w.bytesWritten).toBe(5);
    await expect(w.finish()).rejects.toThrow(/already finished/);
    expect(() => w.push('x\n')).toThrow(/already finished/);
  });

  it('abort destroys the sink and wakes a writer waiting for drain', async () => {
    const sink = new PassThrough({ highWaterMark: 16 }); // nobody reads: it never drains
    const w = createBatchingWriter(sink, { gzip: false, batchBytes: 64 });
    let pending: Promise<void> | undefined;
    for (let i = 0; i < 10 && !pending; i++) pending = w.push(lines[i]!) ?? undefined;
    expect(pending).toBeInstanceOf(Promise);
    const err = new Error('cancelled');
    w.abort(err);
    await expect(pending).rejects.toBe(err);
    expect(sink.destroyed).toBe(true);
    expect(() => w.push('x\n')).toThrow('cancelled');
  });

  it('fails instead of hanging when the sink is destroyed underneath it', async () => {
    const sink = new Collector();
    const w = createBatchingWriter(sink, { gzip: false, batchBytes: 64 });
    sink.destroy();
    const attempt = async () => {
      for (const l of lines.slice(0, 100)) {
        const p = w.push(l);
        if (p) await p;
      }
      await w.finish();
    };
    await expect(attempt()).rejects.toThrow();
  });

  for (const gzip of [false, true]) {
    it(`reports a sink failure from push or finish (gzip: ${gzip})`, async () => {
      let n = 0;
      const sink = new Writable({ write: (_c, _e, cb) => cb(++n > 1 ? new Error('disk full') : null) });
      const w = createBatchingWriter(sink, { gzip, batchBytes: 1024 });
      const attempt = async () => {
        for (const l of lines) {
          const p = w.push(l);
          if (p) await p;
          await new Promise((r) => setImmediate(r));
        }
        await w.finish();
      };
      await expect(attempt()).rejects.toThrow('disk full');
    });
  }
});
