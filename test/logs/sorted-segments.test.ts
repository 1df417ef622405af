import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG, listOf } from '../../src/storage/mongo/segments/catalog.js';
import type { ListDoc } from '../../src/storage/mongo/segments/segment-docs.js';
import { type ListHolder, packLists, readAllLists } from '../../src/storage/mongo/segments/segment-lists.js';
import { writePack } from '../../src/storage/mongo/segments/segment-packs.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { chatLog, ingest, openAiChatResponse, trpcQuery } from './fixtures.js';

/**
 * A page sorted by cost, tokens or latency reads sealed segments best first, from the bounds in their catalog
 * entries, and stops at the first one that cannot reach the page: at volume a cost sort reads a few segments.
 */
const WS = 'ws-sorted';
const minute = (n: number) => new Date(Date.UTC(2026, 0, 1, 12, n)).toISOString();

describe('sorted pages over segments (5 logs per segment)', () => {
  let s: TestServer;
  const ids: string[] = [];
  beforeAll(async () => {
    s = await startTestServer({ LOG_SEGMENT_DOCS: '5' });
    // Cost grows with time: the most expensive logs are the newest, in the last sealed segment.
    const logs = Array.from({ length: 30 }, (_, i) => {
      const log = chatLog({ created_at: minute(i) });
      log.response.body = openAiChatResponse('gpt-4o-2024-08-06', { prompt_tokens: 100 * (i + 1), completion_tokens: 10, total_tokens: 100 * (i + 1) + 10 });
      return log;
    });
    ids.push(...(await ingest(s, logs, { query: `?workspace_id=${WS}` })));
  });
  afterAll(() => s?.stop());

  const page = async (direction: 'asc' | 'desc') => {
    const res = await trpcQuery(s, 'logs.list', { workspaceId: WS, sort: { field: 'cost', direction }, first: 5 });
    expect(res.status).toBe(200);
    return res.body.result.data.items.map((l: { id: string }) => l.id);
  };

  it('trusts the bounds of sealed segments that cannot reach the page, and reads the ones that can', async () => {
    expect(await page('desc')).toEqual(ids.slice(25).reverse());
    // Make the oldest (cheapest) segment claim the highest costs, where readers would see them: its list
    // documents and its pack. Its catalog bounds still say it is the cheapest, so a descending page skips it.
    const db = s.app.database.db;
    const oldest = await db.collection(CATALOG).findOne({ workspace_id: WS }, { sort: { created_min: 1 } });
    const segment = String(oldest!._id);
    const lists = listOf<ListHolder>(db, segment);
    const rows: ListDoc[] = (await readAllLists(lists)).map((d) => ({ ...d, cost: 1e9 }));
    await lists.deleteMany({});
    await lists.insertMany(await packLists(rows));
    // The entry names the rewritten pack, as a seal would.
    await db.collection(CATALOG).updateOne({ _id: segment as never }, { $set: { pack: await writePack(db, segment, rows) } });
    expect(await page('desc')).toEqual(ids.slice(25).reverse());
    // An ascending page must read that segment (it holds the first rows by its bounds) and sees what it holds.
    const asc = await page('asc');
    expect(asc).toEqual(ids.slice(5, 10));
  });
});
