import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedLogs } from '../helpers/exports.js';
import { gql } from '../helpers/graphql.js';
import { call, createKey } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { chatLog } from '../logs/fixtures.js';
import { at, detailPaths, downloadJsonl, gqlError, gqlOk, NAMES, poll, shapeOf, spanLog, specLog, SPECS, trpc, trpcError } from '../helpers/typed.js';

/** The same scenarios through REST, GraphQL and tRPC: results must agree. */
const WS = 'ws-parity';
const FIELDS = ['id', 'ai_model', 'created_at'];
const GQL_LOG = `query($id: ID!, $ws: ID) { log(id: $id, workspaceId: $ws) {
  id createdAt traceId provider model requestTokens responseTokens totalTokens cost costCurrency responseTimeMs statusCode isSuccess metadata request response } }`;
const GQL_LOGS = `query($f: LogFilter, $first: Int, $after: String, $ws: ID) {
  logs(filter: $f, first: $first, after: $after, workspaceId: $ws) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }`;
const GQL_EXPORT = 'id status total processed downloadUrl';

type Normal = Record<string, unknown>;
const typed = (l: any): Normal => ({
  id: l.id,
  createdAt: l.createdAt,
  traceId: l.traceId,
  model: l.model,
  provider: l.provider,
  requestTokens: l.requestTokens,
  responseTokens: l.responseTokens,
  totalTokens: l.totalTokens,
  cost: l.cost,
  costCurrency: l.costCurrency,
  responseTimeMs: l.responseTimeMs,
  statusCode: l.statusCode,
  isSuccess: l.isSuccess,
  metadata: l.metadata,
  requestUrl: l.request.url,
  requestBody: l.request.body,
  responseStatus: l.response.status,
  responseBody: l.response.body,
});
const rest = (l: any): Normal => {
  const m = l.metrics;
  return {
    id: l.id,
    createdAt: l.created_at,
    traceId: m.trace_id ?? null,
    model: m.ai_model ?? null,
    provider: m.ai_org ?? null,
    requestTokens: m.req_units ?? null,
    responseTokens: m.res_units ?? null,
    totalTokens: m.total_units ?? null,
    cost: m.cost ?? null,
    costCurrency: m.cost_currency ?? null,
    responseTimeMs: m.response_time ?? null,
    statusCode: m.response_status_code,
    isSuccess: m.is_success,
    metadata: l.metadata,
    requestUrl: l.request.url,
    requestBody: l.request.body,
    responseStatus: l.response.status,
    responseBody: l.response.body,
  };
};
const withoutId = ({ id: _id, ...n }: Normal) => n;

describe('parity: REST, GraphQL and tRPC agree', () => {
  let s: TestServer;
  let api: ReturnType<typeof trpc>;
  let isoKey: string;
  let ids: string[];

  beforeAll(async () => {
    s = await startTestServer({ JOBS_POLL_INTERVAL_MS: '100' });
    api = trpc(s.url);
    ids = await seedLogs(
      s,
      NAMES.map((n) => specLog(SPECS[n]!)),
      { workspace: WS },
    );
    isoKey = (await createKey(s.url, { workspace: 'ws-iso', scopes: ['logs.write', 'logs.view', 'logs.list', 'logs.export'] })).key;
  });
  afterAll(() => s.stop());

  const readAll = async (id: string, ws: string) => {
    const r = await call(s.url, 'GET', `/v1/logs/${id}?workspace_id=${ws}`);
    expect(r.status).toBe(200);
    return {
      rest: rest(r.body),
      graphql: typed((await gqlOk(s.url, GQL_LOG, { id, ws })).log),
      trpc: typed(await api.logs.get.query({ id, workspaceId: ws })),
    };
  };

  it('ingest via REST and tRPC, then read each log through all three: identical normalised fields', async () => {
    const logs = [
      specLog(SPECS.a!),
      specLog(SPECS.e!),
      chatLog({ created_at: at(5), metadata: { trace_id: 'tr-p', plan: 'pro', seats: 3, beta: true } }),
      chatLog({
        created_at: at(6),
        request: {
          url: 'https://api.anthropic.com/v1/messages',
          method: 'POST',
          body: { model: 'claude-3-5-sonnet', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] },
        },
        response: {
          status: 200,
          body: { type: 'message', model: 'claude-3-5-sonnet', content: [{ type: 'text', text: 'Hello' }], usage: { input_tokens: 40, output_tokens: 10 } },
          response_time: 321,
        },
      }),
    ];
    const viaRest = await call(s.url, 'POST', '/v1/logs?workspace_id=ws-ingest', { body: logs });
    expect(viaRest.status).toBe(200);
    const viaTrpc = (await api.logs.ingest.mutate({ workspaceId: 'ws-ingest', logs })).logIds;
    expect(viaTrpc).toHaveLength(logs.length);
    for (let i = 0; i < logs.length; i++) {
      const fromRest = await readAll(viaRest.body.data.log_ids[i], 'ws-ingest');
      const fromTrpc = await readAll(viaTrpc[i]!, 'ws-ingest');
      expect(fromRest.graphql, `log ${i} GraphQL vs REST`).toEqual(fromRest.rest);
      expect(fromRest.trpc, `log ${i} tRPC vs REST`).toEqual(fromRest.rest);
      expect(fromTrpc.graphql).toEqual(fromTrpc.rest);
      expect(fromTrpc.trpc).toEqual(fromTrpc.rest);
      // Ingesting through either transport stores the same thing.
      expect(withoutId(fromTrpc.rest), `log ${i} ingested via tRPC vs REST`).toEqual(withoutId(fromRest.rest));
      expect(fromRest.rest.requestBody).toEqual(logs[i]!.request.body);
    }
    const first = await readAll(viaRest.body.data.log_ids[0], 'ws-ingest');
    expect(first.rest).toMatchObject({ model: 'gpt-4o', provider: 'openai', totalTokens: 1500, cost: 0.75, statusCode: 200, isSuccess: true });
    expect((await readAll(viaRest.body.data.log_ids[2], 'ws-ingest')).trpc.metadata).toMatchObject({ plan: 'pro', seats: '3', beta: 'true' });
  });

  it.each<[string, Record<string, unknown>]>([
    ['provider', { provider: 'openai' }],
    ['failures', { isSuccess: false }],
    ['metadata + cost', { metadata: { env: 'prod' }, minCost: 0.01 }],
    ['everything', {}],
  ])('list %s: GraphQL logs and tRPC logs.list return the same pages', async (_name, filter) => {
    let gAfter: string | null = null;
    let tAfter: string | undefined;
    const all: string[] = [];
    for (let page = 0; page < 12; page++) {
      const g: any = (await gqlOk(s.url, GQL_LOGS, { f: filter, first: 2, after: gAfter, ws: WS })).logs;
      const t = await api.logs.list.query({ workspaceId: WS, filter, first: 2, after: tAfter });
      const gIds = g.edges.map((e: { node: { id: string } }) => e.node.id);
      expect(
        t.items.map((x) => x.id),
        `page ${page}`,
      ).toEqual(gIds);
      expect(t.totalCount).toBe(g.totalCount);
      expect(t.nextCursor !== null).toBe(g.pageInfo.hasNextPage);
      all.push(...gIds);
      if (!g.pageInfo.hasNextPage) break;
      expect(t.nextCursor).toBe(g.pageInfo.endCursor);
      gAfter = g.pageInfo.endCursor;
      tAfter = t.nextCursor!;
    }
    expect(all.length).toBeGreaterThan(0);
    expect(new Set(all).size).toBe(all.length);
    expect(all.every((id) => ids.includes(id))).toBe(true);
  });

  it('trace tree: GraphQL and tRPC give the same shape and ids', async () => {
    const t = 'tr-parity';
    await seedLogs(
      s,
      [
        spanLog(t, 'leaf', 'mid', 'leaf', at(303)),
        spanLog(t, 'root', undefined, 'root', at(300)),
        spanLog(t, 'mid', 'root', 'mid', at(301)),
        spanLog(t, 'side', 'root', 'side', at(302)),
      ],
      { workspace: 'ws-trace' },
    );
    const q = `query($t: ID!) { trace(traceId: $t, workspaceId: "ws-trace") { traceId spans { id } roots { id spanId children { id spanId children { id spanId children { id spanId } } } } } }`;
    const g = (await gqlOk(s.url, q, { t })).trace;
    const tr = await api.traces.get.query({ traceId: t, workspaceId: 'ws-trace' });
    expect(g.traceId).toBe(tr.traceId);
    expect(g.spans.map((x: { id: string }) => x.id)).toEqual(tr.spans.map((x) => x.id));
    const withIds = (n: any): unknown => ({ id: n.id, spanId: n.spanId, children: (n.children ?? []).map(withIds) });
    expect(g.roots.map(withIds)).toEqual(tr.roots.map(withIds));
    expect(tr.roots.map(shapeOf)).toEqual([
      {
        spanId: 'root',
        children: [
          { spanId: 'mid', children: [{ spanId: 'leaf', children: [] }] },
          { spanId: 'side', children: [] },
        ],
      },
    ]);
  });

  it('export lifecycle: equivalent filters give the same total and files with the same ids', async () => {
    const restCreate = await call(s.url, 'POST', '/v1/logs/exports', {
      body: { workspace_id: WS, filters: { ai_model: 'gpt-4o', status_code: '200' }, requested_data: FIELDS },
    });
    expect(restCreate.status).toBe(200);
    const input = { workspaceId: WS, filters: { model: 'gpt-4o', statusCode: 200 }, requestedData: FIELDS };
    const g = (await gqlOk(s.url, `mutation($i: CreateExportInput!) { createExport(input: $i) { ${GQL_EXPORT} } }`, { i: input })).createExport;
    const t = await api.exports.create.mutate(input);
    const expected = NAMES.filter((n) => SPECS[n]!.model === 'gpt-4o' && SPECS[n]!.status === 200).length;
    expect({ rest: restCreate.body.total, graphql: g.total, trpc: t.total }).toEqual({ rest: expected, graphql: expected, trpc: expected });

    expect((await call(s.url, 'POST', `/v1/logs/exports/${restCreate.body.id}/start`, { body: {} })).status).toBe(200);
    await gqlOk(s.url, `mutation($id: ID!) { startExport(id: $id) { id } }`, { id: g.id });
    await api.exports.start.mutate({ id: t.id });
    const done = (v: { status: string }) => ['success', 'SUCCESS', 'failed', 'FAILED'].includes(v.status);
    await poll('REST export', async () => (await call(s.url, 'GET', `/v1/logs/exports/${restCreate.body.id}`)).body, done);
    const gDone = await poll<any>(
      'GraphQL export',
      async () => (await gqlOk(s.url, `query($id: ID!) { logExport(id: $id) { ${GQL_EXPORT} } }`, { id: g.id })).logExport,
      done,
    );
    await poll('tRPC export', () => api.exports.get.query({ id: t.id }), done);

    // Every transport sees every export the same way, whichever created it.
    for (const id of [restCreate.body.id, g.id, t.id]) {
      const r = (await call(s.url, 'GET', `/v1/logs/exports/${id}`)).body;
      const gq = (await gqlOk(s.url, `query($id: ID!) { logExport(id: $id) { ${GQL_EXPORT} } }`, { id })).logExport;
      const tq = await api.exports.get.query({ id });
      expect({ rest: [r.status, r.total_records], graphql: [gq.status.toLowerCase(), gq.total], trpc: [tq.status, tq.total] }).toEqual({
        rest: ['success', expected],
        graphql: ['success', expected],
        trpc: ['success', expected],
      });
    }
    const restUrl = (await call(s.url, 'GET', `/v1/logs/exports/${restCreate.body.id}/download`)).body.signed_url as string;
    const trpcUrl = (await api.exports.downloadUrl.query({ id: t.id })).url;
    const files = await Promise.all([restUrl, gDone.downloadUrl as string, trpcUrl].map(downloadJsonl));
    const idSets = files.map((f) => f.rows.map((r) => r.id as string).sort());
    expect(idSets[0]).toHaveLength(expected);
    expect(idSets[1]).toEqual(idSets[0]);
    expect(idSets[2]).toEqual(idSets[0]);
  });

  it("isolation: another workspace's log and export are invisible everywhere", async () => {
    const logId = ids[0]!;
    const exportId = (await api.exports.create.mutate({ workspaceId: WS, requestedData: FIELDS })).id;
    const restLog = await call(s.url, 'GET', `/v1/logs/${logId}`, { key: isoKey });
    const restExport = await call(s.url, 'GET', `/v1/logs/exports/${exportId}`, { key: isoKey });
    const restStart = await call(s.url, 'POST', `/v1/logs/exports/${exportId}/start`, { key: isoKey, body: {} });
    expect([restLog.status, restExport.status, restStart.status]).toEqual([404, 404, 404]);
    expect((await gql(s.url, GQL_LOG, { id: logId }, isoKey)).body).toEqual({ data: { log: null } });
    expect((await gql(s.url, `query($id: ID!) { logExport(id: $id) { id } }`, { id: exportId }, isoKey)).body).toEqual({ data: { logExport: null } });
    expect((await gqlError(s.url, `mutation($id: ID!) { startExport(id: $id) { id } }`, { id: exportId }, isoKey)).code).toBe('NOT_FOUND');
    const iso = trpc(s.url, isoKey);
    expect((await trpcError(iso.logs.get.query({ id: logId }))).data?.code).toBe('NOT_FOUND');
    expect((await trpcError(iso.exports.get.query({ id: exportId }))).data?.code).toBe('NOT_FOUND');
    expect((await trpcError(iso.exports.start.mutate({ id: exportId }))).data?.code).toBe('NOT_FOUND');
    expect((await api.exports.get.query({ id: exportId })).status).toBe('draft');
  });

  it('bad input: the same invalid filter is a 400-class error naming the field in all three', async () => {
    const restRes = await call(s.url, 'POST', '/v1/logs/exports', { body: { workspace_id: WS, filters: { cost_min: -1 }, requested_data: FIELDS } });
    const g = await gqlError(s.url, 'mutation($i: CreateExportInput!) { createExport(input: $i) { id } }', {
      i: { workspaceId: WS, filters: { minCost: -1 }, requestedData: FIELDS },
    });
    const t = await trpcError(api.exports.create.mutate({ workspaceId: WS, filters: { minCost: -1 }, requestedData: FIELDS }));
    const names = (paths: string[], field: string) => paths.some((p) => p.split('.').at(-1) === field);
    // Soft: a mismatch here is reported while the checks below still run.
    expect
      .soft({
        rest: [restRes.status, names(detailPaths(restRes.body.error?.details), 'cost_min')],
        graphql: [g.code, names(detailPaths(g.details), 'minCost')],
        trpc: [t.data?.httpStatus, names(detailPaths((t.data as { details?: unknown }).details), 'minCost')],
      })
      .toEqual({ rest: [400, true], graphql: ['BAD_USER_INPUT', true], trpc: [400, true] });

    // Lists (GraphQL/tRPC only) and ingest (REST/tRPC only) report the same paths.
    const gl = await gqlError(s.url, GQL_LOGS, { f: { minCost: -1 }, ws: WS });
    const tl = await trpcError(api.logs.list.query({ workspaceId: WS, filter: { minCost: -1 } }));
    expect(detailPaths(gl.details)).toEqual(detailPaths((tl.data as { details?: unknown }).details));
    const badBatch = [specLog(SPECS.a!), { request: { url: 'https://api.openai.com/v1/chat/completions', body: {} }, response: { status: 42, body: {} } }];
    const ri = await call(s.url, 'POST', `/v1/logs?workspace_id=${WS}`, { body: badBatch });
    const ti = await trpcError(api.logs.ingest.mutate({ workspaceId: WS, logs: badBatch }));
    expect([ri.status, ti.data?.httpStatus]).toEqual([400, 400]);
    // Same problems; tRPC's paths start at its `logs` input field.
    expect(detailPaths((ti.data as { details?: unknown }).details)).toEqual(detailPaths(ri.body.error.details).map((p: string) => `logs.${p}`));
    expect(detailPaths(ri.body.error.details)).toContain('1.response.status');
  });
});
