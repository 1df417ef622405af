import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodiesOf, CATALOG, OPEN_CATALOG } from '../../src/storage/mongo/segments/catalog.js';
import { exportRows, seedLogs } from '../helpers/exports.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { chatLog } from '../logs/fixtures.js';

/**
 * On the embedded database a sealed segment's bodies are also packed into one document, which exports read
 * instead of one body document per log. What the user gets must not change: every row with its own body.
 */
describe('exports from packed bodies (100 logs per segment)', () => {
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

  it('reads sealed segments from their body packs, one row per log with its own body', async () => {
    const db = s.app.database.db;
    const sealed = await db.collection(CATALOG).find({}).toArray();
    expect(sealed).toHaveLength(2);
    expect(sealed.every((e) => e.body_packs === 1)).toBe(true);
    expect(await db.collection(OPEN_CATALOG).countDocuments()).toBe(1);
    // Only the packs can answer for the first sealed segment now: its body documents are gone.
    const first = String(sealed[0]!._id);
    expect((await bodiesOf(db, first).deleteMany({})).deletedCount).toBeGreaterThan(0);
    expect(await bodiesOf(db, first).countDocuments()).toBe(0);

    const { rows } = await exportRows(s, { filters: {}, requested_data: ['id', 'request'] });
    expect(rows).toHaveLength(250);
    const byPrompt = new Map(rows.map((r) => [r.request.messages[0].content as string, r.id as string]));
    expect([...byPrompt.keys()].sort()).toEqual([...prompts].sort());
  });
});
