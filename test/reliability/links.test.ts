import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';
import { createExport, startExport, waitForStatus } from '../helpers/exports.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { chatLog } from '../logs/fixtures.js';
import { call } from '../helpers/http.js';

describe('Download links in production, and HEAD on the export file', () => {
  it('NODE_ENV=production without PUBLIC_URL is a configuration error (API roles); with it, or as a worker, it starts', () => {
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(/PUBLIC_URL/);
    expect(() => parseConfig({ NODE_ENV: 'production', ROLE: 'api' })).toThrow(/PUBLIC_URL/);
    expect(parseConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://logs.example.com' }).PUBLIC_URL).toBe('https://logs.example.com');
    expect(parseConfig({ NODE_ENV: 'production', ROLE: 'worker' }).ROLE).toBe('worker');
  });

  describe('with PUBLIC_URL set', () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await startTestServer({ PUBLIC_URL: 'https://logs.example.com/', JOBS_POLL_INTERVAL_MS: '100' });
      await call(s.url, 'POST', '/v1/logs', { body: [chatLog(), chatLog()] });
    });
    afterAll(() => s.stop());

    it('a forged Host header never reaches a download link; HEAD answers headers without a body, Range-aware', async () => {
      const { id } = await createExport(s, { filters: {}, requested_data: ['id', 'ai_model'] });
      await startExport(s, id);
      expect((await waitForStatus(s, id, ['success', 'failed'])).status).toBe('success');
      const link = await call(s.url, 'GET', `/v1/logs/exports/${id}/download`, { headers: { host: 'evil.example' } });
      expect(link.status).toBe(200);
      expect(link.body.signed_url.startsWith('https://logs.example.com/v1/logs/exports/')).toBe(true);

      const path = new URL(link.body.signed_url).pathname + new URL(link.body.signed_url).search;
      const get = await fetch(`${s.url}${path}`);
      const bytes = Buffer.from(await get.arrayBuffer());
      const head = await fetch(`${s.url}${path}`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-length')).toBe(String(bytes.length));
      expect(head.headers.get('accept-ranges')).toBe('bytes');
      expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
      expect((await head.arrayBuffer()).byteLength).toBe(0);

      const ranged = await fetch(`${s.url}${path}`, { method: 'HEAD', headers: { range: 'bytes=0-9' } });
      expect(ranged.status).toBe(206);
      expect(ranged.headers.get('content-range')).toBe(`bytes 0-9/${bytes.length}`);
      expect(ranged.headers.get('content-length')).toBe('10');
      const beyond = await fetch(`${s.url}${path}`, { method: 'HEAD', headers: { range: `bytes=${bytes.length + 5}-` } });
      expect(beyond.status).toBe(416);

      const tampered = await fetch(`${s.url}${path.replace(/sig=[^&]+/, 'sig=00')}`, { method: 'HEAD' });
      expect(tampered.status).toBe(403);
    });
  });
});
