import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createExport,
  downloadExport,
  exportCall,
  exportRows,
  fileText,
  getExport,
  parseJsonl,
  seedLogs,
  startExport,
  waitForStatus,
} from '../helpers/exports.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { chatLog, openAiChatRequest, openAiChatResponse } from '../logs/fixtures.js';

/** The export state machine: 409s, Start Again, PUT on drafts, ignored SDK fields and 400s. */

const T0 = Date.parse('2025-05-10T12:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function modelLog(model: string, minutes: number) {
  return chatLog({
    created_at: at(minutes),
    request: { url: 'https://api.openai.com/v1/chat/completions', body: openAiChatRequest(model) },
    response: { status: 200, body: openAiChatResponse(model) },
  });
}

async function expectConflict(res: Promise<{ status: number; body: any }>) {
  const r = await res;
  expect(r.status).toBe(409);
  expect(r.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
}

describe('an API-only process enqueues; a worker runs the export', () => {
  let api: TestServer;
  let worker: TestServer | undefined;
  beforeAll(async () => {
    api = await startTestServer({ ROLE: 'api', JOBS_POLL_INTERVAL_MS: '100' });
    await seedLogs(api, [modelLog('gpt-4o', 1), modelLog('gpt-4o', 2), modelLog('gpt-4o-mini', 3)]);
  });
  afterAll(async () => {
    await worker?.app.stop(); // stop() of the worker would drop the shared database under the API server
    await api.stop();
  });

  it('409 for download before success, update/start while in_progress; 409 for update/start/cancel once success', async () => {
    const { id, total } = await createExport(api, { filters: { ai_model: 'gpt-4o' }, requested_data: ['id'] });
    expect(total).toBe(2);
    await expectConflict(exportCall(api, 'GET', `/${id}/download`));
    await startExport(api, id);

    // No worker yet: the export stays in_progress (a few poll intervals pass) and refuses changes.
    await new Promise((r) => setTimeout(r, 400));
    expect(await getExport(api, id)).toMatchObject({ status: 'in_progress', progress: 0 });
    await expectConflict(exportCall(api, 'PUT', `/${id}`, { body: { requested_data: ['id', 'ai_model'] } }));
    await expectConflict(exportCall(api, 'POST', `/${id}/start`, { body: {} }));
    await expectConflict(exportCall(api, 'GET', `/${id}/download`));
    expect((await getExport(api, id)).requested_data).toEqual(['id']);

    worker = await startTestServer({ ROLE: 'worker', MONGODB_DB: api.dbName, JOBS_POLL_INTERVAL_MS: '100' });
    expect(await waitForStatus(api, id, ['success', 'failed'])).toMatchObject({ status: 'success', total_records: 2, progress: 2 });
    await expectConflict(exportCall(api, 'PUT', `/${id}`, { body: { requested_data: ['id', 'ai_model'] } }));
    await expectConflict(exportCall(api, 'POST', `/${id}/start`, { body: {} }));
    await expectConflict(exportCall(api, 'POST', `/${id}/cancel`, { body: {} }));
    expect(await getExport(api, id)).toMatchObject({ status: 'success', requested_data: ['id'] });
    expect((await exportCall(api, 'GET', `/${id}/download`)).status).toBe(200);
  });
});

describe('export state machine on one server', () => {
  let s: TestServer;
  let gpt: string[] = [];
  let mini: string[] = [];
  beforeAll(async () => {
    s = await startTestServer({ JOBS_POLL_INTERVAL_MS: '100' });
    const ids = await seedLogs(s, [1, 2, 3, 4, 5].map((m) => modelLog('gpt-4o', m)).concat([6, 7].map((m) => modelLog('gpt-4o-mini', m))));
    gpt = ids.slice(0, 5).reverse();
    mini = ids.slice(5).reverse();
  });
  afterAll(() => s.stop());

  it('Start Again: a cancelled draft is stopped, cannot be cancelled twice, and starts to success', async () => {
    const { id } = await createExport(s, { filters: { ai_model: 'gpt-4o-mini' }, requested_data: ['id'] });
    const cancelled = await exportCall(s, 'POST', `/${id}/cancel`, { body: {} });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toEqual({ message: expect.any(String), object: 'export' });
    expect((await getExport(s, id)).status).toBe('stopped');
    await expectConflict(exportCall(s, 'POST', `/${id}/cancel`, { body: {} }));
    await startExport(s, id);
    expect(await waitForStatus(s, id, ['success', 'failed'])).toMatchObject({ status: 'success', total_records: 2 });
  });

  it('PUT on a draft changes filters and requested_data and recomputes total', async () => {
    const { id, total } = await createExport(s, { description: 'before', filters: { ai_model: 'gpt-4o' }, requested_data: ['id'] });
    expect(total).toBe(5);
    const put = await exportCall(s, 'PUT', `/${id}`, { body: { filters: { ai_model: 'gpt-4o-mini' }, requested_data: ['id', 'ai_model'] } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ id, total: 2, object: 'export' });
    expect(await getExport(s, id)).toMatchObject({
      status: 'draft',
      filters: { ai_model: 'gpt-4o-mini' },
      requested_data: ['id', 'ai_model'],
      total_records: 2,
      description: 'before',
    });

    // requested_data alone keeps the filters.
    const second = await exportCall(s, 'PUT', `/${id}`, { body: { requested_data: ['ai_model', 'id'] } });
    expect(second.body.total).toBe(2);
    await startExport(s, id);
    expect((await waitForStatus(s, id, ['success', 'failed'])).status).toBe('success');
    const { file } = await downloadExport(s, id);
    expect(parseJsonl(fileText(file.bytes))).toEqual(mini.map((i) => ({ ai_model: 'gpt-4o-mini', id: i })));
  });

  it('PUT that drops page_size / current_page from the filters exports every matching row', async () => {
    const paged = [
      { ai_model: 'gpt-4o', page_size: 2 },
      { ai_model: 'gpt-4o', page_size: 2, current_page: 1 },
    ];
    const replacement = [{ ai_model: 'gpt-4o' }, { ai_model: 'gpt-4o', page_size: 10 }];
    for (const [i, filters] of paged.entries()) {
      const { id, total } = await createExport(s, { filters, requested_data: ['id'] });
      expect(total).toBe(2);
      const put = await exportCall(s, 'PUT', `/${id}`, { body: { filters: replacement[i] } });
      expect(put.body.total).toBe(5);
      await startExport(s, id);
      const done = await waitForStatus(s, id, ['success', 'failed']);
      // The announced total and the file must agree: all five gpt-4o logs, newest first.
      expect(done, JSON.stringify(filters)).toMatchObject({ status: 'success', total_records: 5, progress: 5 });
      const { file } = await downloadExport(s, id);
      expect(parseJsonl(fileText(file.bytes)).map((r) => r.id)).toEqual(gpt);
    }
  });

  it('ignores body fields the SDK adds (export_id, exportId, workspace_id on update)', async () => {
    const { id } = await createExport(s, { filters: {}, requested_data: ['id'] });
    const put = await exportCall(s, 'PUT', `/${id}`, { body: { export_id: id, exportId: id, workspace_id: 'default', requested_data: ['id', 'ai_model'] } });
    expect(put.status).toBe(200);
    expect((await exportCall(s, 'POST', `/${id}/start`, { body: { export_id: id, exportId: id } })).status).toBe(200);
    await waitForStatus(s, id, 'success');
    const other = await createExport(s, { filters: {}, requested_data: ['id'], export_id: 'whatever' });
    expect((await exportCall(s, 'POST', `/${other.id}/cancel`, { body: { export_id: other.id } })).status).toBe(200);
    expect((await getExport(s, other.id)).status).toBe('stopped');
  });

  it('an unknown requested field: 400 naming it and listing the valid names; nothing is created or changed', async () => {
    const before = (await exportCall(s, 'GET', '')).body.total;
    const res = await exportCall(s, 'POST', '', { body: { filters: {}, requested_data: ['id', 'tokens_total'] } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('tokens_total');
    for (const name of ['id', 'ai_model', 'ai_org', 'req_units', 'total_tokens', 'response_status_code', 'metadata', 'span_id']) {
      expect(res.body.error.message).toMatch(new RegExp(`\\b${name}\\b`));
    }
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: ['requested_data', 1] })]);
    expect((await exportCall(s, 'POST', '', { body: { filters: {}, requested_data: [] } })).status).toBe(400);
    expect((await exportCall(s, 'GET', '')).body.total).toBe(before);

    const { id } = await createExport(s, { filters: {}, requested_data: ['id'] });
    const put = await exportCall(s, 'PUT', `/${id}`, { body: { requested_data: ['cost', 'price'] } });
    expect(put.status).toBe(400);
    expect(put.body.error.message).toContain('price');
    expect((await getExport(s, id)).requested_data).toEqual(['id']);
  });

  it('a missing or malformed requested_data / workspace_id: 400 under the names the client sent', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ filters: {} }, 'requested_data'],
      [{ filters: {}, requested_data: 'id' }, 'requested_data'],
      [{ filters: {}, requested_data: ['id'], workspace_id: '' }, 'workspace_id'],
    ];
    for (const [body, name] of cases) {
      const bad = await exportCall(s, 'POST', '', { body });
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(
        bad.body.error.details.map((d: { path: unknown[] }) => d.path[0]),
        JSON.stringify(body),
      ).toEqual([name]);
    }
  });

  it('a bad filter: 400 with a path under filters', async () => {
    const cases: [Record<string, unknown>, (string | number)[]][] = [
      [{ ai_modle: 'gpt-4o' }, ['filters', 'ai_modle']],
      [{ cost_min: 'cheap' }, ['filters', 'cost_min']],
      [{ time_of_generation_min: 'yesterday' }, ['filters', 'time_of_generation_min']],
      [{ total_units_min: 100, total_units_max: 10 }, ['filters', 'total_units_max']],
      [{ status_code: 'ok' }, ['filters', 'status_code']],
      [{ ai_org_model: 'gpt-4o' }, ['filters', 'ai_org_model']],
      [{ page_size: 0 }, ['filters', 'page_size']],
    ];
    for (const [filters, path] of cases) {
      const res = await exportCall(s, 'POST', '', { body: { filters, requested_data: ['id'] } });
      expect(res.status, JSON.stringify(filters)).toBe(400);
      expect(
        res.body.error.details.map((d: { path: unknown }) => d.path),
        JSON.stringify(filters),
      ).toContainEqual(path);
    }
    const { id } = await createExport(s, { filters: {}, requested_data: ['id'] });
    const put = await exportCall(s, 'PUT', `/${id}`, { body: { filters: { cost_max: -1 } } });
    expect(put.status).toBe(400);
    expect(put.body.error.details[0].path).toEqual(['filters', 'cost_max']);
  });

  it('the ids of a finished export are exported newest first, equal to the matching logs', async () => {
    const { rows } = await exportRows(s, { filters: { ai_model: 'gpt-4o' }, requested_data: ['id'] });
    expect(rows.map((r) => r.id)).toEqual(gpt);
  });
});
