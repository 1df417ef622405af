/**
 * The load process of `npm run bench:otlp`: pre-encodes requests of 512 GenAI spans with the official
 * serializers (the bytes the OTLP exporters send), posts them for a fixed time, prints one JSON line.
 */
import { Agent, request } from 'node:http';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { genAiSpans } from './genai-spans.js';

const url = new URL('/v1/traces', process.env.BENCH_URL!);
const key = process.env.BENCH_KEY!;
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 4);
const encoding = process.env.BENCH_ENCODING === 'json' ? 'json' : 'proto';
const SPANS = 512;

const serializer = encoding === 'json' ? JsonTraceSerializer : ProtobufTraceSerializer;
// Distinct spans per request, so the server stores new documents rather than idempotent repeats
// (the harness sizes BENCH_DISTINCT to cover the run; `repeats` in the output says if it did not).
const distinct = Number(process.env.BENCH_DISTINCT ?? 96);
const all = genAiSpans(SPANS * distinct);
const bodies = Array.from({ length: distinct }, (_, i) => Buffer.from(serializer.serializeRequest(all.slice(i * SPANS, (i + 1) * SPANS))!));
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const contentType = encoding === 'json' ? 'application/json' : 'application/x-protobuf';

function post(body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': contentType, 'content-length': body.length, 'x-portkey-api-key': key } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

let spans = 0;
let failures = 0;
let n = 0;
const started = Date.now();
const deadline = started + seconds * 1000;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (Date.now() < deadline) {
      const status = await post(bodies[n++ % bodies.length]!);
      if (status === 200) spans += SPANS;
      else failures++;
    }
  }),
);
process.stdout.write(`${JSON.stringify({ spans, failures, elapsed: (Date.now() - started) / 1000, bytesPerSpan: Math.round(bodies[0]!.length / SPANS), repeats: Math.max(0, n - distinct) })}\n`);
agent.destroy();
