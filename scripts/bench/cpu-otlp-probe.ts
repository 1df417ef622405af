/**
 * In-process CPU cost of the OTLP pipeline (decode, map, document, BSON) without HTTP or a database: the floor
 * that `npm run bench:otlp` compares against. Run: npx tsx scripts/bench/cpu-otlp-probe.ts
 */
import { ProtobufTraceSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { LogRecord, LogRepository } from '../../src/domain/logs/log-model.js';
import { ingestSpans } from '../../src/domain/traces/ingest-spans.js';
import { decodeOtlpJson, decodeOtlpProtobuf } from '../../src/transports/otlp/decode.js';
import { genAiSpans } from './genai-spans.js';
import { storedBytes } from './stored-docs.js';

const all = genAiSpans(512 * 8);
const proto = Array.from({ length: 8 }, (_, i) => Buffer.from(ProtobufTraceSerializer.serializeRequest(all.slice(i * 512, (i + 1) * 512))!));
const json = Array.from({ length: 8 }, (_, i) => Buffer.from(JsonTraceSerializer.serializeRequest(all.slice(i * 512, (i + 1) * 512))!));
let sink = 0;
const repo = {
  async insertMany(records: LogRecord[]) {
    for (const r of records) sink += storedBytes(r);
    return records;
  },
} as LogRepository;
const actor = { keyId: 'k', name: 'k', kind: 'organisation' as const, organisationId: 'o', scopes: new Set(['logs.write']), isRoot: true };
for (const [name, bodies] of [
  ['proto', proto],
  ['json', json],
] as const) {
  for (let round = 0; round < 2; round++) {
    const start = process.cpuUsage();
    let n = 0;
    for (let rep = 0; rep < 10; rep++) {
      for (const b of bodies) {
        const decoded = name === 'proto' ? decodeOtlpProtobuf(b) : decodeOtlpJson(b.toString('utf8'));
        await ingestSpans(repo, actor as never, { export: decoded });
        n += 512;
      }
    }
    const u = process.cpuUsage(start);
    if (round === 1) console.log(name, ((u.user + u.system) / n).toFixed(2), 'us/span');
  }
}
console.log(sink > 0);
