import { Portkey } from 'portkey-ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createKey } from '../helpers/http.js';
import { ROOT_KEY, startTestServer, type TestServer } from '../helpers/server.js';

const LOGS = ['logs.write', 'logs.list', 'logs.view', 'logs.export'];
const WS_KEYS = ['create', 'read', 'list', 'delete'].map((a) => `workspace_service_api_keys.${a}`);

describe('Managing API keys needs its own scopes, and never more power than the caller holds', () => {
  let s: TestServer;
  const sdk = (apiKey: string) => new Portkey({ apiKey, baseURL: `${s.url}/v1` });
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('an organisation key with only log scopes can neither list, read, create nor revoke keys', async () => {
    const victim = await createKey(s.url, { workspace: 'km-a', scopes: ['logs.view'] });
    const org = await createKey(s.url, { kind: 'organisation', scopes: LOGS });
    await expect(sdk(org.key).apiKeys.list({})).rejects.toMatchObject({ status: 403 });
    expect((await call(s.url, 'GET', `/v1/api-keys/${victim.id}`, { key: org.key })).status).toBe(403);
    expect((await call(s.url, 'POST', '/v1/api-keys/workspace/service', { key: org.key, body: { name: 'n', scopes: [] } })).status).toBe(403);
    await expect(sdk(org.key).apiKeys.delete({ id: victim.id })).rejects.toMatchObject({ status: 403 });
    // The victim still works.
    expect((await call(s.url, 'GET', '/v1/logs/none', { key: victim.key })).status).toBe(404);
  });

  it('a workspace-key manager sees and revokes only workspace service keys, and only those with no more power', async () => {
    const manager = await createKey(s.url, { kind: 'organisation', scopes: [...WS_KEYS, 'logs.view'] });
    const weaker = await createKey(s.url, { workspace: 'km-b', scopes: ['logs.view'] });
    const stronger = await createKey(s.url, { workspace: 'km-b', scopes: ['logs.view', 'logs.export'] });
    const orgKey = await createKey(s.url, { kind: 'organisation', scopes: ['logs.view'] });

    const listed = await sdk(manager.key).apiKeys.list({ workspace_id: 'km-b' });
    expect(listed.data!.map((k: { id?: string }) => k.id).sort()).toEqual([weaker.id, stronger.id].sort());
    const all = await call(s.url, 'GET', '/v1/api-keys?page_size=1000', { key: manager.key });
    expect(all.body.data.every((k: { type: string }) => k.type === 'workspace-service')).toBe(true);

    const revokeStronger = await call(s.url, 'DELETE', `/v1/api-keys/${stronger.id}`, { key: manager.key });
    expect(revokeStronger.status).toBe(403);
    expect(revokeStronger.body.error.message).toMatch(/logs\.export/);
    expect((await call(s.url, 'DELETE', `/v1/api-keys/${orgKey.id}`, { key: manager.key })).status).toBe(403);
    expect((await call(s.url, 'DELETE', `/v1/api-keys/${weaker.id}`, { key: manager.key })).status).toBe(200);

    // Creating: its own type only, and no scope it lacks (key management included).
    expect(
      (
        await call(s.url, 'POST', '/v1/api-keys/workspace/service', {
          key: manager.key,
          body: { name: 'ok', workspace_id: 'km-b', scopes: ['logs.view', 'workspace_service_api_keys.read'] },
        })
      ).status,
    ).toBe(200);
    expect((await call(s.url, 'POST', '/v1/api-keys/organisation/service', { key: manager.key, body: { name: 'no', scopes: ['logs.view'] } })).status).toBe(
      403,
    );
    expect(
      (
        await call(s.url, 'POST', '/v1/api-keys/workspace/service', {
          key: manager.key,
          body: { name: 'no', workspace_id: 'km-b', scopes: ['organisation_service_api_keys.delete'] },
        })
      ).status,
    ).toBe(403);
  });

  it('the root key keeps every power: it lists all key types and revokes any key', async () => {
    const strong = await createKey(s.url, { kind: 'organisation', scopes: [...LOGS, 'organisation_service_api_keys.delete'] });
    const all = await sdk(ROOT_KEY).apiKeys.list({});
    expect(new Set(all.data!.map((k: { type?: string }) => k.type))).toEqual(new Set(['workspace-service', 'organisation-service']));
    expect((await call(s.url, 'DELETE', `/v1/api-keys/${strong.id}`)).status).toBe(200);
    expect((await call(s.url, 'GET', '/v1/logs/none', { key: strong.key })).status).toBe(401);
  });
});
