/**
 * In-process CPU cost of the ingest pipeline (JSON.parse, validation, derivation, BSON), without HTTP or a
 * database: the floor that `npm run bench:ingest` compares against. Run: npx tsx scripts/bench/cpu-ingest-probe.ts
 */
import { ingestLogs } from '../../src/domain/logs/ingest-logs.js';
import type { LogRecord, LogRepository } from '../../src/domain/logs/log-model.js';
import { chatLog } from './chat-log.js';
import { storedBytes } from './stored-docs.js';

const bodies = Array.from({ length: 50 }, (_, b) => JSON.stringify(Array.from({ length: 100 }, (_, i) => chatLog(b * 100 + i))));
let sink = 0;
const repo: LogRepository = {
  async insertMany(records: LogRecord[]) {
    for (const r of records) sink += storedBytes(r);
    return records;
  },
} as LogRepository;
const actor = { keyId: 'k', name: 'k', kind: 'organisation' as const, organisationId: 'o', scopes: new Set(['logs.write']), isRoot: true };
for (const stage of ['parse', 'ingest'] as const) {
  const start = process.cpuUsage();
  let n = 0;
  for (let rep = 0; rep < 20; rep++) {
    for (const b of bodies) {
      const parsed = JSON.parse(b);
      if (stage === 'ingest') await ingestLogs(repo, actor, { body: parsed });
      n += 100;
    }
  }
  const u = process.cpuUsage(start);
  console.log(stage, ((u.user + u.system) / n).toFixed(2), 'us/log');
}
console.log(sink > 0);
