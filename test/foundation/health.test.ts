import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('GET /healthz', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('answers 200 with version and uptime while the database answers, without a key', async () => {
    const res = await call(s.url, 'GET', '/healthz', { key: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', database: 'up', version: expect.any(String) });
    expect(res.body.uptime_seconds).toBeGreaterThanOrEqual(0);
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('echoes a client request id', async () => {
    const res = await call(s.url, 'GET', '/healthz', { key: null, headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
  });

  it('unknown paths are JSON 404s and wrong methods 405s', async () => {
    const missing = await call(s.url, 'GET', '/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    const wrong = await call(s.url, 'PATCH', '/healthz');
    expect(wrong.status).toBe(405);
  });

  it('answers 503 when the database does not', async () => {
    await s.app.database.client.close(true);
    const res = await call(s.url, 'GET', '/healthz', { key: null });
    expect(res.status).toBe(503);
    expect(res.body.database).toBe('down');
  });
});
