import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createKey } from '../helpers/http.js';
import { ROOT_KEY, startTestServer, type TestServer } from '../helpers/server.js';

describe('API keys', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('create, list, get and delete; the secret is shown once and a deleted key stops working', async () => {
    const created = await call(s.url, 'POST', '/v1/api-keys/workspace/service', {
      // The SDK also sends type and sub-type in the body: ignored.
      body: { name: 'ingest', workspace_id: 'ws-life', scopes: ['logs.write', 'completions.write'], type: 'workspace', 'sub-type': 'service' },
    });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ id: expect.any(String), key: expect.stringMatching(/^lp-/), object: 'api-key' });

    const got = await call(s.url, 'GET', `/v1/api-keys/${created.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      id: created.body.id,
      name: 'ingest',
      type: 'workspace-service',
      workspace_id: 'ws-life',
      scopes: ['logs.write', 'completions.write'],
      object: 'api-key',
    });
    expect(got.body.key).toBeUndefined();
    expect(JSON.stringify(got.body)).not.toContain(created.body.key);

    const listed = await call(s.url, 'GET', '/v1/api-keys?workspace_id=ws-life');
    expect(listed.body).toMatchObject({ object: 'list', total: 1 });
    expect(listed.body.data[0].id).toBe(created.body.id);

    // Bearer works as well as x-portkey-api-key.
    const who = await call(s.url, 'GET', '/trpc/viewer.whoami', { key: null, headers: { authorization: `Bearer ${created.body.key}` } });
    expect(who.status).toBe(200);
    expect(who.body.result.data).toMatchObject({ kind: 'workspace', workspaceId: 'ws-life' });

    expect((await call(s.url, 'DELETE', `/v1/api-keys/${created.body.id}`)).status).toBe(200);
    expect((await call(s.url, 'GET', `/v1/api-keys/${created.body.id}`)).status).toBe(404);
    const after = await call(s.url, 'GET', '/trpc/viewer.whoami', { key: created.body.key });
    expect(after.status).toBe(401);
  });

  it('401 without a key or with an unknown key, as JSON', async () => {
    const none = await call(s.url, 'GET', '/v1/api-keys', { key: null });
    expect(none.status).toBe(401);
    expect(none.body.error).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.any(String) });
    const wrong = await call(s.url, 'GET', '/v1/api-keys', { key: 'lp-not-a-real-key' });
    expect(wrong.status).toBe(401);
  });

  it('only organisation keys manage keys (403 for workspace keys)', async () => {
    const ws = await createKey(s.url, { workspace: 'ws-a', scopes: ['logs.write', 'logs.view'] });
    const res = await call(s.url, 'POST', '/v1/api-keys/workspace/service', { key: ws.key, body: { name: 'x', scopes: [] } });
    expect(res.status).toBe(403);
    expect((await call(s.url, 'GET', '/v1/api-keys', { key: ws.key })).status).toBe(403);
  });

  it('a key cannot grant scopes it does not hold', async () => {
    const org = await createKey(s.url, { kind: 'organisation', scopes: ['logs.view', 'workspace_service_api_keys.create'] });
    const res = await call(s.url, 'POST', '/v1/api-keys/workspace/service', { key: org.key, body: { name: 'y', scopes: ['logs.export'] } });
    expect(res.status).toBe(403);
    const ok = await call(s.url, 'POST', '/v1/api-keys/workspace/service', { key: org.key, body: { name: 'y', scopes: ['logs.view'] } });
    expect(ok.status).toBe(200);
  });

  it('400 names the offending fields; 415 for non-JSON bodies; bad path type is 400', async () => {
    const bad = await call(s.url, 'POST', '/v1/api-keys/workspace/service', { body: { name: '', scopes: 'logs.view' } });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.details.map((d: { path: string[] }) => d.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['name', 'scopes']));

    const text = await call(s.url, 'POST', '/v1/api-keys/workspace/service', { raw: 'name=x', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);

    const kind = await call(s.url, 'POST', '/v1/api-keys/galaxy/service', { body: { name: 'z', scopes: [] } });
    expect(kind.status).toBe(400);
    expect(kind.body.error.details[0].path).toEqual(['kind']);

    const malformed = await call(s.url, 'POST', '/v1/api-keys/workspace/service', { raw: '{"name":', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
  });

  it('workspace isolation: listing by workspace shows only that workspace, and the root key sees all', async () => {
    const a = await createKey(s.url, { workspace: 'iso-a', scopes: ['logs.view'], name: 'a' });
    const b = await createKey(s.url, { workspace: 'iso-b', scopes: ['logs.view'], name: 'b' });
    const listA = await call(s.url, 'GET', '/v1/api-keys?workspace_id=iso-a');
    expect(listA.body.data.map((k: { id: string }) => k.id)).toEqual([a.id]);
    const all = await call(s.url, 'GET', '/v1/api-keys?page_size=1000', { key: ROOT_KEY });
    const ids = all.body.data.map((k: { id: string }) => k.id);
    expect(ids).toEqual(expect.arrayContaining([a.id, b.id]));
    // A workspace key's view of itself names its own workspace only.
    const who = await call(s.url, 'GET', '/trpc/viewer.whoami', { key: b.key });
    expect(who.body.result.data.workspaceId).toBe('iso-b');
  });
});
