import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { seedLogs } from '../helpers/exports.js';
import { wsClient } from '../helpers/graphql.js';
import { createKey } from '../helpers/http.js';
import { ROOT_KEY, startTestServer, type TestServer } from '../helpers/server.js';
import { detailPaths, downloadJsonl, gqlError, gqlOk, Named, NAMES, poll, specLog, SPECS, wsSubscribe } from '../helpers/typed.js';

const WS = 'ws-typed';
const EXPORT = 'id workspaceId status total processed progress description filters requestedData format compression createdAt updatedAt error downloadUrl';
const CREATE = `mutation($input: CreateExportInput!) { createExport(input: $input) { ${EXPORT} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateExportInput!) { updateExport(id: $id, input: $input) { ${EXPORT} } }`;
const START = `mutation($id: ID!) { startExport(id: $id) { ${EXPORT} } }`;
const CANCEL = `mutation($id: ID!) { cancelExport(id: $id) { ${EXPORT} } }`;
const GET = `query($id: ID!) { logExport(id: $id) { ${EXPORT} } }`;
const LIST = `query($ws: ID) { logExports(workspaceId: $ws) { id workspaceId status } }`;
const WATCH = `subscription($id: ID!) { exportStatusChanged(id: $id) { id status processed total progress downloadUrl } }`;
const FIELDS = ['id', 'ai_model', 'created_at'];

describe('GraphQL: export lifecycle', () => {
  let s: TestServer;
  let named: Named;
  let otherKey: string;
  let noExportKey: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    s = await startTestServer({ JOBS_POLL_INTERVAL_MS: '100' });
    named = new Named(
      await seedLogs(
        s,
        NAMES.map((n) => specLog(SPECS[n]!)),
        { workspace: WS },
      ),
    );
    await seedLogs(s, [specLog(SPECS.a!)], { workspace: 'ws-b' });
    otherKey = (await createKey(s.url, { workspace: 'ws-b', scopes: ['logs.view', 'logs.list', 'logs.export'] })).key;
    noExportKey = (await createKey(s.url, { workspace: WS, scopes: ['logs.view', 'logs.list'] })).key;
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
  });
  afterAll(() => s.stop());

  const create = async (input: Record<string, unknown>) =>
    (await gqlOk(s.url, CREATE, { input: { workspaceId: WS, requestedData: FIELDS, ...input } })).createExport;
  const get = async (id: string) => (await gqlOk(s.url, GET, { id })).logExport;
  const untilDone = (id: string) =>
    poll(
      `export ${id} to finish`,
      () => get(id),
      (e) => ['SUCCESS', 'FAILED'].includes(e.status),
    );
  const gptNames = () => named.where((x) => x.model === 'gpt-4o' || x.model === 'gpt-4o-mini');

  it('create -> update -> start -> SUCCESS, with a download of `total` JSONL lines', async () => {
    const draft = await create({ description: 'gpt-4o only', filters: { model: 'gpt-4o' }, format: 'JSONL' });
    expect(draft).toMatchObject({
      workspaceId: WS,
      status: 'DRAFT',
      total: 3,
      processed: 0,
      progress: 0,
      description: 'gpt-4o only',
      filters: { model: ['gpt-4o'] },
      requestedData: FIELDS,
      format: 'JSONL',
      compression: 'NONE',
      error: null,
      downloadUrl: null,
    });
    expect(Date.parse(draft.createdAt)).not.toBeNaN();

    const updated = (await gqlOk(s.url, UPDATE, { id: draft.id, input: { description: 'all gpt', filters: { model: ['gpt-4o', 'gpt-4o-mini'] } } }))
      .updateExport;
    expect(updated).toMatchObject({
      id: draft.id,
      status: 'DRAFT',
      total: gptNames().length,
      description: 'all gpt',
      filters: { model: ['gpt-4o', 'gpt-4o-mini'] },
      requestedData: FIELDS,
    });

    const started = (await gqlOk(s.url, START, { id: draft.id })).startExport;
    expect(['IN_PROGRESS', 'SUCCESS']).toContain(started.status);
    // Starting again while running (or done) is a conflict.
    expect((await gqlError(s.url, START, { id: draft.id })).code).toBe('CONFLICT');

    const done = await untilDone(draft.id);
    expect(done).toMatchObject({ status: 'SUCCESS', total: gptNames().length, processed: gptNames().length, progress: 1, error: null });
    expect(new URL(done.downloadUrl).protocol).toBe('http:');
    const file = await downloadJsonl(done.downloadUrl);
    expect(file.status).toBe(200);
    expect(file.rows).toHaveLength(done.total);
    expect(named.names(file.rows.map((r) => r.id))).toEqual(gptNames());
    expect(Object.keys(file.rows[0]).sort()).toEqual([...FIELDS].sort());

    // Done exports can be neither changed nor cancelled.
    expect((await gqlError(s.url, UPDATE, { id: draft.id, input: { description: 'late' } })).code).toBe('CONFLICT');
    expect((await gqlError(s.url, CANCEL, { id: draft.id })).code).toBe('CONFLICT');
  });

  it('cancel a draft -> STOPPED (cancel again is CONFLICT); start again -> SUCCESS', async () => {
    const draft = await create({ filters: { isSuccess: false } });
    expect(draft.total).toBe(named.where((x) => x.status >= 300).length);
    const stopped = (await gqlOk(s.url, CANCEL, { id: draft.id })).cancelExport;
    expect(stopped).toMatchObject({ id: draft.id, status: 'STOPPED', downloadUrl: null });
    expect((await gqlError(s.url, CANCEL, { id: draft.id })).code).toBe('CONFLICT');
    await gqlOk(s.url, START, { id: draft.id });
    const done = await untilDone(draft.id);
    expect(done.status).toBe('SUCCESS');
    expect((await downloadJsonl(done.downloadUrl)).rows).toHaveLength(draft.total);
  });

  it('limit and offset bound the export: total counts them and the file holds exactly those rows', async () => {
    const draft = await create({ filters: { provider: 'openai' }, limit: 2, offset: 1 });
    expect(draft).toMatchObject({ status: 'DRAFT', total: 2 });
    await gqlOk(s.url, START, { id: draft.id });
    const done = await untilDone(draft.id);
    const rows = (await downloadJsonl(done.downloadUrl)).rows;
    expect(named.names(rows.map((r) => r.id))).toEqual(named.where((x) => x.provider === 'openai').slice(1, 3));
  });

  it('logExports lists the workspace exports, newest first; other workspaces see none of them', async () => {
    const one = await create({ description: 'list-1' });
    const two = await create({ description: 'list-2' });
    const mine = (await gqlOk(s.url, LIST, { ws: WS })).logExports as { id: string; workspaceId: string }[];
    expect(mine.every((e) => e.workspaceId === WS)).toBe(true);
    const ids = mine.map((e) => e.id);
    expect(ids.indexOf(two.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(two.id)).toBeLessThan(ids.indexOf(one.id));
    expect((await gqlOk(s.url, LIST, {}, otherKey)).logExports).toEqual([]);
    expect((await gqlOk(s.url, LIST, { ws: 'ws-b' })).logExports).toEqual([]);
  });

  it("another workspace's export: null from logExport, NOT_FOUND from every mutation", async () => {
    const draft = await create({ description: 'private' });
    expect(await gqlOk(s.url, GET, { id: draft.id }, otherKey)).toEqual({ logExport: null });
    for (const [query, vars] of [
      [UPDATE, { id: draft.id, input: { description: 'x' } }],
      [START, { id: draft.id }],
      [CANCEL, { id: draft.id }],
    ] as const) {
      const r = await gqlError(s.url, query, vars, otherKey);
      expect(r.code).toBe('NOT_FOUND');
    }
    expect((await get(draft.id)).status).toBe('DRAFT');
  });

  it('error codes: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT for bad filters and unknown requested fields', async () => {
    const input = { workspaceId: WS, requestedData: FIELDS };
    expect((await gqlError(s.url, CREATE, { input }, null)).code).toBe('UNAUTHENTICATED');
    expect((await gqlError(s.url, CREATE, { input: { ...input, workspaceId: undefined } }, noExportKey)).code).toBe('FORBIDDEN');
    const neg = await gqlError(s.url, CREATE, { input: { ...input, filters: { minCost: -1 } } });
    expect(neg.code).toBe('BAD_USER_INPUT');
    expect(detailPaths(neg.details)).toContain('input.filters.minCost');
    const unknown = await gqlError(s.url, CREATE, { input: { ...input, requestedData: ['id', 'not_a_field'] } });
    expect(unknown.code).toBe('BAD_USER_INPUT');
    expect(unknown.error?.message).toContain('not_a_field');
    const crossed = await gqlError(s.url, UPDATE, {
      id: (await create({})).id,
      input: { filters: { from: '2025-05-02T00:00:00Z', to: '2025-05-01T00:00:00Z' } },
    });
    expect(crossed.code).toBe('BAD_USER_INPUT');
    expect(detailPaths(crossed.details)).toContain('input.filters.to');
  });

  it('exportStatusChanged: current state first, progress never decreases, completes after SUCCESS', async () => {
    const draft = await create({ filters: { provider: 'openai' } });
    const client = wsClient(s.url, { apiKey: ROOT_KEY });
    clients.push(client);
    const sub = wsSubscribe(client, WATCH, { id: draft.id });
    await poll('the first event', async () => sub.events.length > 0 || sub.isSettled(), Boolean, 10_000);
    expect(sub.events[0]).toEqual({
      data: { exportStatusChanged: { id: draft.id, status: 'DRAFT', processed: 0, total: draft.total, progress: 0, downloadUrl: null } },
    });
    await gqlOk(s.url, START, { id: draft.id });
    const end = await Promise.race([sub.done, new Promise((r) => setTimeout(() => r('timeout'), 20_000))]);
    expect(end).toEqual({ completed: true });
    const states = sub.events.map((e) => e.data!.exportStatusChanged);
    expect(sub.events.every((e) => !e.errors)).toBe(true);
    const progress = states.map((x) => x.progress as number);
    expect(progress).toEqual([...progress].sort((p, q) => p - q));
    expect(states.slice(1).every((x) => ['IN_PROGRESS', 'SUCCESS'].includes(x.status))).toBe(true);
    expect(states.at(-1)).toMatchObject({ status: 'SUCCESS', progress: 1, processed: draft.total });
    expect(states.at(-1)!.downloadUrl).toMatch(/^http/);
  });

  it('over WebSocket, too deep a query is refused with errors and the connection stays usable', async () => {
    const client = wsClient(s.url, { apiKey: ROOT_KEY });
    clients.push(client);
    const nested = Array.from({ length: 15 }).reduce<string>((inner) => `children { spanId ${inner} }`, 'spanId');
    const deep = wsSubscribe(client, `query { trace(traceId: "t") { roots { ${nested} } } }`, {});
    const outcome = await deep.done;
    const errors = deep.events[0]?.errors ?? (Array.isArray(outcome.error) ? outcome.error : undefined);
    const closed = outcome.error as { code?: number; reason?: string } | undefined;
    expect(errors, `no GraphQL errors; socket closed with ${closed?.code} ${closed?.reason}`).toBeDefined();
    expect(errors?.[0]?.message).toMatch(/depth/i);
    expect(deep.events.some((e) => e.data)).toBe(false);
    const after = wsSubscribe(client, '{ viewer { keyId } }', {});
    expect(await after.done).toEqual({ completed: true });
    expect(after.events[0]?.data).toEqual({ viewer: { keyId: 'root' } });
  });

  it('exportStatusChanged on a finished export: one event, then complete; another workspace: NOT_FOUND', async () => {
    const draft = await create({ filters: { model: 'mistral-large' } });
    await gqlOk(s.url, START, { id: draft.id });
    await untilDone(draft.id);
    const client = wsClient(s.url, { apiKey: ROOT_KEY });
    clients.push(client);
    const sub = wsSubscribe(client, WATCH, { id: draft.id });
    expect(await sub.done).toEqual({ completed: true });
    expect(sub.events.map((e) => e.data?.exportStatusChanged.status)).toEqual(['SUCCESS']);

    const foreign = wsClient(s.url, { apiKey: otherKey });
    clients.push(foreign);
    const denied = wsSubscribe(foreign, WATCH, { id: draft.id });
    const outcome = await denied.done;
    // graphql-ws may deliver the refusal as a result with errors or as an error message: either is fine.
    const errors = denied.events[0]?.errors ?? (Array.isArray(outcome.error) ? outcome.error : []);
    expect(errors.map((e: { extensions?: { code?: string } }) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(denied.events[0]?.data ?? null).toBeNull();
  });
});
