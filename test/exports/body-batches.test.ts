import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodiesOf, CATALOG, OPEN_CATALOG } from '../../src/storage/mongo/segments/catalog.js';
import { exportRows, seedLogs } from '../helpers/exports.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { chatLog } from '../logs/fixtures.js';

/**
 * Bodies are stored a few dozen to a document, and an export reads a segment's batches whole. What the user
 * gets must not change: every row with its own body, whichever batch holds it.
 */
describe('exports from body batches (100 logs per segment)', () => {
  let s: TestServer;
  const prompts = Array.from({ length: 250 }, (_, i) => `prompt number ${i}`);
  beforeAll(async () => {
    s = await startTestServer({ LOG_SEGMENT_DOCS: '100' });
    const logs = prompts.map((content, i) => {
      const log = chatLog({ id: `bp-${i}`, created_at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString() });
      log.request.body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content }] };
      return log;
    });
    await seedLogs(s, logs);
  });
  afterAll(() => s?.stop());

  it('reads sealed segments from their body batches, one row per log with its own body', async () => {
    const db = s.app.database.db;
    const sealed = await db.collection(CATALOG).find({}).toArray();
    expect(sealed).toHaveLength(2);
    expect(await db.collection(OPEN_CATALOG).countDocuments()).toBe(1);
    // A few batch documents per segment, not one per log.
    for (const e of sealed) expect(await bodiesOf(db, String(e._id)).countDocuments()).toBeLessThanOrEqual(10);

    const { rows } = await exportRows(s, { filters: {}, requested_data: ['id', 'created_at', 'request'] });
    expect(rows).toHaveLength(250);
    // Log i was created at minute i with prompt i.
    const minuteOf = (r: { created_at: string }) => (Date.parse(r.created_at) - Date.UTC(2026, 0, 1)) / 60_000;
    expect(rows.map((r) => [minuteOf(r), r.request.messages[0].content]).sort((a, b) => a[0] - b[0])).toEqual(prompts.map((p, i) => [i, p]));
  });
});
