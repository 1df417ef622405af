import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { createLogRepository } from '../../src/storage/mongo/log-repository.js';
import { bodiesOf, CATALOG, LOG_IDS, OPEN_CATALOG } from '../../src/storage/mongo/segments/catalog.js';
import { type BodyHolder, bodiesIn } from '../../src/storage/mongo/segments/segment-bodies.js';
import { dropEmptySegmentDatabases, SEGMENTS_PER_DATABASE, segmentDatabases, segmentDb } from '../../src/storage/mongo/segments/segment-databases.js';
import { packCollection } from '../../src/storage/mongo/segments/segment-packs.js';
import { pino } from 'pino';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { countStoredLogs } from '../helpers/stored-logs.js';
import { chatLog, getLog, ingest, trpcQuery } from './fixtures.js';

/**
 * The segmented layout with tiny segments (3 logs each), so a handful of logs spans many of them: pages,
 * traces, filters, idempotent retries, restarts and retention must behave as with one collection.
 */
// From 11:50, so minute 10 is a whole hour (retention counts back to whole hours).
const minute = (n: number) => new Date(Date.UTC(2025, 4, 1, 11, 50 + n)).toISOString();
const WS = 'ws-seg';
const q = `?workspace_id=${WS}`;

function log(n: number, extra: { trace?: string; user?: string; id?: string } = {}) {
  return chatLog({
    ...(extra.id && { id: extra.id }),
    created_at: minute(n),
    metadata: { n: String(n), user: extra.user ?? 'u-other', ...(extra.trace && { trace_id: extra.trace, span_id: `sp-${n}` }) },
  });
}

async function listAll(s: TestServer, filter: Record<string, unknown> = {}, first = 4): Promise<{ ns: string[]; totalCount: number }> {
  const ns: string[] = [];
  let after: string | null = null;
  let totalCount = -1;
  for (let i = 0; i < 30; i++) {
    const res = await trpcQuery(s, 'logs.list', { workspaceId: WS, filter, first, ...(after && { after }) });
    expect(res.status).toBe(200);
    const page = res.body.result.data;
    totalCount = page.totalCount;
    // Each row with its own body (metadata is read back from the body; the request is only there).
    for (const l of page.items as { metadata: { n: string }; request: { url: string; body: { model?: string } } }[]) {
      expect(l.request.url).toMatch(/^https:/);
      expect(l.request.body.model).toBeTruthy();
    }
    ns.push(...page.items.map((l: { metadata: { n: string } }) => l.metadata.n));
    if (!page.nextCursor) break;
    after = page.nextCursor;
  }
  return { ns, totalCount };
}

describe('segmented log storage (3 logs per segment)', () => {
  let s: TestServer;
  const ids: string[] = [];
  beforeAll(async () => {
    s = await startTestServer({ LOG_SEGMENT_DOCS: '3' });
    // 20 logs in time order, in batches of several sizes (one batch spans three segments); a trace spread
    // over minutes 2, 9 and 17 lands in three different segments.
    const trace = (n: number) => ([2, 9, 17].includes(n) ? { trace: 'tr-spread' } : {});
    const user = (n: number) => (n % 5 === 0 ? { user: 'u-rare' } : {});
    for (const [from, to] of [
      [0, 1],
      [1, 8],
      [8, 9],
      [9, 20],
    ] as const) {
      ids.push(
        ...(await ingest(
          s,
          Array.from({ length: to - from }, (_, i) => log(from + i, { ...trace(from + i), ...user(from + i), id: `client-${from + i}` })),
          { query: q },
        )),
      );
    }
  });
  afterAll(() => s.stop());

  const newestFirst = (ns: number[]) => ns.sort((a, b) => b - a).map(String);

  it('spreads logs over bounded segments', async () => {
    const db = s.app.database.db;
    const stored = async () => [
      ...(await db.collection(CATALOG).find({ workspace_id: WS }).toArray()),
      ...(await db.collection(OPEN_CATALOG).find({ workspace_id: WS }).toArray()),
    ];
    // The open segment's entry reaches the database shortly after its last write.
    await expect.poll(async () => (await stored()).reduce((n, e) => n + e.count, 0), { timeout: 2000 }).toBe(20);
    const entries = await stored();
    expect(entries.length).toBeGreaterThanOrEqual(7);
    expect(entries.every((e) => e.count <= 3)).toBe(true);
    expect(entries.reduce((n, e) => n + e.count, 0)).toBe(20);
    expect(await countStoredLogs(db)).toBe(20);
    // On the embedded database sealed segments are read from their packs (the reads below go through them).
    const sealed = entries.filter((e) => e.sealed);
    expect(sealed.length).toBeGreaterThanOrEqual(6);
    // Their list documents in the chunks of one pack version; bodies stay in their batches.
    expect(sealed.every((e) => e.packed === true && e.pack.chunks === 1)).toBe(true);
    for (const e of sealed) {
      const packs = segmentDb(db, String(e._id)).collection(packCollection(String(e._id)));
      expect((await packs.find({}).toArray()).map((d) => d._id)).toEqual([`${e.pack.v}.0`]);
    }
    // Segments' collections live in a segment database, none in the main one (each SQLite file keeps a small schema).
    expect((await db.listCollections({}, { nameOnly: true }).toArray()).filter((c) => c.name.startsWith('logs_'))).toEqual([]);
    expect((await segmentDatabases(db)).size).toBe(1);
  });

  it('finds a log by id through the id filters of sealed segments, without the id index', async () => {
    // The id index (log_ids) is read by a table scan on the embedded database: lookups must not need it.
    const db = s.app.database.db;
    expect((await db.collection(LOG_IDS).deleteOne({ _id: ids[5] as never })).deletedCount).toBe(1);
    const res = await getLog(s, ids[5]!, { query: q });
    expect(res.status).toBe(200);
    expect(res.body.metadata.n).toBe('5');
    expect((await getLog(s, 'no-such-log', { query: q })).status).toBe(404);
  });

  it('pages newest first across segments, with the total', async () => {
    for (const first of [1, 4, 7]) {
      const { ns, totalCount } = await listAll(s, {}, first);
      expect(ns).toEqual(newestFirst([...Array(20).keys()]));
      expect(totalCount).toBe(20);
    }
  });

  it('filters by metadata and time range across segments', async () => {
    expect((await listAll(s, { metadata: { user: 'u-rare' } })).ns).toEqual(['15', '10', '5', '0']);
    expect((await listAll(s, { metadata: { user: 'u-rare' } })).totalCount).toBe(4);
    const ranged = await listAll(s, { from: minute(4), to: minute(11) });
    expect(ranged.ns).toEqual(newestFirst([4, 5, 6, 7, 8, 9, 10, 11]));
    expect(ranged.totalCount).toBe(8);
    expect((await listAll(s, { model: 'no-such-model' })).ns).toEqual([]);
  });

  it('assembles a trace whose spans sit in different segments', async () => {
    const res = await trpcQuery(s, 'traces.get', { workspaceId: WS, traceId: 'tr-spread' });
    expect(res.status).toBe(200);
    expect(res.body.result.data.spans.map((l: { spanId: string }) => l.spanId)).toEqual(['sp-2', 'sp-9', 'sp-17']);
  });

  it('a retried batch with client ids stores nothing twice, whichever segments hold the first copies', async () => {
    const again = await ingest(s, [log(3, { id: 'client-3' }), log(12, { id: 'client-12' }), log(20, { id: 'client-20' })], { query: q });
    expect(again.slice(0, 2)).toEqual([ids[3], ids[12]]);
    expect(await countStoredLogs(s.app.database.db)).toBe(21);
    expect((await getLog(s, 'client-12', { query: q })).body.id).toBe(ids[12]);
  });

  it('exports stream every segment newest first', async () => {
    const rows: string[] = [];
    for await (const r of streamAll(s)) rows.push(r);
    expect(rows).toEqual(newestFirst([...Array(21).keys()]));
  });

  it('a restart keeps everything readable, and retention drops whole segments', async () => {
    await s.app.stop();
    const app = await createApp(parseConfig({ ...s.env, LOG_SEGMENT_DOCS: '3' }), pino({ level: 'silent' }));
    await app.listen();
    s = { ...s, app, url: app.url! };
    const db = app.database.db;
    expect((await getLog(s, ids[0]!)).status).toBe(200);
    expect((await listAll(s)).ns).toHaveLength(21);

    const entriesBefore = await db.collection(CATALOG).find({ workspace_id: WS }).toArray();
    const before = entriesBefore.length;
    const segmentCollections = async () => {
      let n = 0;
      for (const name of (await segmentDatabases(db)).values()) n += (await db.client.db(name).listCollections({}, { nameOnly: true }).toArray()).length;
      return n;
    };
    const collections = await segmentCollections();
    // Minutes 0..20 from 11:50: a cutoff at minute 10 (12:00) drops the segments entirely older than it.
    // Half a minute after 12:00, which retention floors to the whole hour.
    const { deleted, cutoff } = await app.services.logs.enforceRetention((Date.now() - Date.parse(minute(10)) - 30_000) / 86_400_000);
    expect(cutoff.toISOString()).toBe(minute(10));
    expect(deleted).toBe(10);
    expect(await db.collection(CATALOG).countDocuments({ workspace_id: WS })).toBeLessThan(before);
    expect(await segmentCollections()).toBeLessThan(collections);
    // The segment that straddled the cutoff keeps no copy of the deleted logs' bodies in its body batches:
    // bodies of the logs it still holds, none of the deleted ones.
    const left = await db.collection(CATALOG).find({ workspace_id: WS }).toArray();
    const trimmed = left.filter((e) => e.created_min >= new Date(minute(10)) && e.created_min < new Date(minute(11)));
    expect(trimmed).toHaveLength(1);
    const bodyIds = (await bodiesOf<BodyHolder>(db, String(trimmed[0]!._id)).find({}).toArray()).flatMap(bodiesIn).map((b) => b._id);
    expect(bodyIds.length).toBeGreaterThan(0);
    expect(bodyIds.filter((id) => ids.indexOf(id) < 10)).toEqual([]);
    // The trimmed segment's pack was rewritten (a new version, the old one gone).
    for (const e of left) {
      const packs = segmentDb(db, String(e._id)).collection(packCollection(String(e._id)));
      expect((await packs.find({}).toArray()).map((d) => d._id)).toEqual([`${e.pack.v}.0`]);
    }
    expect(trimmed[0]!.pack.v).not.toBe(entriesBefore.find((e) => e._id === trimmed[0]!._id)?.pack.v);
    expect((await listAll(s)).ns).toEqual(newestFirst([...Array(11).keys()].map((i) => i + 10)));
    expect((await getLog(s, ids[0]!)).status).toBe(404);
    expect((await getLog(s, ids[15]!)).status).toBe(200);
  });

  it('gives a segment database back once no segment lives in it and no writer may add one', async () => {
    const db = s.app.database.db;
    const entries = [...(await db.collection(CATALOG).find({}).toArray()), ...(await db.collection(OPEN_CATALOG).find({}).toArray())];
    const live = entries.map((e) => String(e._id));
    const [name] = [...(await segmentDatabases(db)).values()];
    const later = Date.now() + 26 * 3_600_000;
    expect(await dropEmptySegmentDatabases(db, live, later)).toBe(0); // segments still live there
    expect(await dropEmptySegmentDatabases(db, [], Date.now())).toBe(0); // young: its writer may still open segments there
    expect(await dropEmptySegmentDatabases(db, [], later)).toBe(1);
    expect((await db.admin().listDatabases({ nameOnly: true })).databases.map((d) => d.name)).not.toContain(name);
  });
});

describe('segment databases (1 log per segment)', () => {
  let s: TestServer;
  afterAll(() => s?.stop());

  it(`moves to a new database after ${SEGMENTS_PER_DATABASE} segments, and reads span them`, async () => {
    s = await startTestServer({ LOG_SEGMENT_DOCS: '1' });
    const n = SEGMENTS_PER_DATABASE + 5;
    const ids = await ingest(
      s,
      Array.from({ length: n }, (_, i) => log(i % 60, { id: `one-${i}` })),
      { query: q },
    );
    const db = s.app.database.db;
    expect((await segmentDatabases(db)).size).toBe(2);
    expect((await listAll(s, {}, 50)).totalCount).toBe(n);
    for (const id of [ids[0]!, ids[n - 1]!]) expect((await getLog(s, id, { query: q })).status).toBe(200);
  }, 120_000);
});

async function* streamAll(s: TestServer): AsyncGenerator<string> {
  const repo = createLogRepository(s.app.database.db, { segmentDocs: 3 });
  for await (const r of repo.streamMatching(WS, {}, {}, {})) yield r.metadata.n!;
}
