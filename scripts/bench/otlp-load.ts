/**
 * The load process of `npm run bench:otlp`: pre-encodes requests of 512 GenAI spans with the official
 * serializers (the bytes the OTLP exporters send), posts them for a fixed time, prints one JSON line.
 */
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { genAiSpans } from './genai-spans.js';
import { postLoop } from './http-load.js';

const SPANS = 512;
const json = process.env.BENCH_ENCODING === 'json';
const serializer = json ? JsonTraceSerializer : ProtobufTraceSerializer;
// Distinct spans per request, so the server stores new documents rather than idempotent repeats
// (`repeats` in the output says how many requests re-sent an earlier body).
// 256 requests of 512 spans outlast 10 s at ~13,000 spans/s (96 ran out at ~5,000).
const distinct = Number(process.env.BENCH_DISTINCT ?? 256);
const all = genAiSpans(SPANS * distinct);
const bodies = Array.from({ length: distinct }, (_, i) => Buffer.from(serializer.serializeRequest(all.slice(i * SPANS, (i + 1) * SPANS))!));
const r = await postLoop({
  url: new URL('/v1/traces', process.env.BENCH_URL!),
  key: process.env.BENCH_KEY!,
  contentType: json ? 'application/json' : 'application/x-protobuf',
  bodies,
  seconds: Number(process.env.BENCH_SECONDS ?? 10),
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 4),
});
process.stdout.write(
  `${JSON.stringify({ spans: r.ok * SPANS, failures: r.failed, elapsed: r.elapsed, bytesPerSpan: Math.round(bodies[0]!.length / SPANS), repeats: Math.max(0, r.sent - distinct) })}\n`,
);
