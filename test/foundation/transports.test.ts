import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../../src/transports/trpc/router.js';
import { gql, wsClient, wsCollect } from '../helpers/graphql.js';
import { createKey } from '../helpers/http.js';
import { ROOT_KEY, startTestServer, type TestServer } from '../helpers/server.js';

const VIEWER = '{ viewer { keyId kind workspaceId scopes } }';

describe('GraphQL and tRPC are wired with authentication', () => {
  let s: TestServer;
  let wsKey: string;
  beforeAll(async () => {
    s = await startTestServer();
    wsKey = (await createKey(s.url, { workspace: 'ws-t', scopes: ['logs.view'] })).key;
  });
  afterAll(() => s.stop());

  it('GraphQL over HTTP: viewer for a workspace key, UNAUTHENTICATED without one', async () => {
    const ok = await gql(s.url, VIEWER, undefined, wsKey);
    expect(ok.body.data.viewer).toEqual({ keyId: expect.any(String), kind: 'WORKSPACE', workspaceId: 'ws-t', scopes: ['logs.view'] });
    const anon = await gql(s.url, VIEWER, undefined, null);
    expect(anon.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const bad = await gql(s.url, VIEWER, undefined, 'lp-nope');
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('GraphQL over WebSocket authenticates with connectionParams.apiKey or x-portkey-api-key', async () => {
    for (const params of [{ apiKey: ROOT_KEY }, { 'x-portkey-api-key': wsKey }]) {
      const client = wsClient(s.url, params);
      const [result] = await wsCollect(client, VIEWER);
      expect(result?.data?.viewer.scopes.length).toBeGreaterThan(0);
      await client.dispose();
    }
    const anon = wsClient(s.url, {});
    const [denied] = await wsCollect(anon, VIEWER);
    expect(denied?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await anon.dispose();
  });

  it('tRPC: typed whoami, UNAUTHORIZED without a key', async () => {
    const client = (key?: string) =>
      createTRPCClient<AppRouter>({ links: [httpLink({ url: `${s.url}/trpc`, headers: key ? { 'x-portkey-api-key': key } : {} })] });
    const me = await client(wsKey).viewer.whoami.query();
    expect(me).toMatchObject({ kind: 'workspace', workspaceId: 'ws-t' });
    const err = await client()
      .viewer.whoami.query()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCClientError);
    expect((err as TRPCClientError<AppRouter>).data?.code).toBe('UNAUTHORIZED');
  });
});
