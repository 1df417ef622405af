import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedLogs } from '../helpers/exports.js';
import { wsClient } from '../helpers/graphql.js';
import { ROOT_KEY, startTestServer, type TestServer } from '../helpers/server.js';
import { at, gqlError, gqlOk, Named, NAMES, spanLog, specLog, SPECS, trpc, trpcError } from '../helpers/typed.js';
import { chatLog, openAiChatRequest } from '../logs/fixtures.js';

/** The browsing reads behind the web app: sorted pages, the traces list, suggestions, body search, live tail. */

const WS = 'ws-browse';
const LOGS = `query($f: LogFilter, $first: Int, $after: String, $ws: ID, $sort: LogSort) {
  logs(filter: $f, first: $first, after: $after, workspaceId: $ws, sort: $sort) { totalCount edges { cursor node { id cost totalTokens responseTimeMs } } pageInfo { hasNextPage endCursor } } }`;
const TRACES = `query($f: LogFilter, $first: Int, $after: String, $ws: ID) {
  traces(filter: $f, first: $first, after: $after, workspaceId: $ws) {
    edges { cursor node { traceId rootLogId rootSpanName startedAt durationMs spanCount totalTokens cost errorCount } } pageInfo { hasNextPage endCursor } } }`;

describe('GraphQL and tRPC: browsing reads', () => {
  let s: TestServer;
  let named: Named;

  beforeAll(async () => {
    // Segments of 3 logs: sorts and filters run over sealed (packed) segments as well as the open one.
    s = await startTestServer({ JOBS_POLL_INTERVAL_MS: '100', LOG_SEGMENT_DOCS: '3' });
    named = new Named(
      await seedLogs(
        s,
        NAMES.map((n) => specLog(SPECS[n]!)),
        { workspace: WS },
      ),
    );
    // A three-span trace (one failing) and a body with a rare phrase.
    const failing = {
      ...spanLog('tr-agent', 'sp-tool', 'sp-root', 'lookup-tool', at(101)),
      response: { status: 500, body: { error: { message: 'tool down' } }, response_time: 100 },
    };
    await seedLogs(
      s,
      [spanLog('tr-agent', 'sp-root', undefined, 'agent-run', at(100)), spanLog('tr-agent', 'sp-llm', 'sp-root', 'llm-call', at(102)), failing],
      { workspace: WS },
    );
    const rare = chatLog({
      created_at: at(110),
      request: {
        url: 'https://api.openai.com/v1/chat/completions',
        method: 'POST',
        body: { ...openAiChatRequest('gpt-4o'), messages: [{ role: 'user', content: 'Where is the Purple Heron Inn?' }] },
      },
    });
    await seedLogs(s, [rare], { workspace: WS });
  });
  afterAll(() => s.stop());

  it('logs(sort:) orders by cost, tokens and latency both ways, paging by cursor without gaps', async () => {
    const all = (await gqlOk(s.url, LOGS, { ws: WS, first: 100, f: { to: at(90) } })).logs.edges.map((e: any) => e.node);
    for (const [field, key] of [
      ['COST', 'cost'],
      ['TOTAL_TOKENS', 'totalTokens'],
      ['LATENCY', 'responseTimeMs'],
    ] as const) {
      for (const direction of ['ASC', 'DESC'] as const) {
        const seen: any[] = [];
        let after: string | null = null;
        do {
          const page: any = (await gqlOk(s.url, LOGS, { ws: WS, first: 3, after, f: { to: at(90) }, sort: { field, direction } })).logs;
          expect(page.totalCount).toBe(all.length);
          seen.push(...page.edges.map((e: any) => e.node));
          after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
        } while (after);
        expect(new Set(seen.map((n) => n.id))).toEqual(new Set(all.map((n: any) => n.id)));
        const values = seen.map((n) => n[key]).filter((v) => v !== null);
        expect(values).toEqual([...values].sort((a, b) => (direction === 'ASC' ? a - b : b - a)));
      }
    }
    const viaTrpc = await trpc(s.url).logs.list.query({ workspaceId: WS, filter: { to: at(90) }, sort: { field: 'cost', direction: 'desc' }, first: 1 });
    expect(named.names(viaTrpc.items.map((i) => i.id))).toEqual(['c']);
    // A cursor from another order is refused, naming the field.
    const first = (await gqlOk(s.url, LOGS, { ws: WS, first: 1 })).logs.pageInfo.endCursor;
    const bad = await gqlError(s.url, LOGS, { ws: WS, after: first, sort: { field: 'COST' } });
    expect([bad.code, bad.details?.[0]?.path]).toEqual(['BAD_USER_INPUT', ['after']]);
  });

  it('modelPrefix matches models by prefix in any case', async () => {
    const d = await gqlOk(s.url, LOGS, { ws: WS, first: 100, f: { modelPrefix: ['CLAUDE', 'mistral'] } });
    expect(new Set(named.names(d.logs.edges.map((e: any) => e.node.id)))).toEqual(new Set(['c', 'e', 'j']));
  });

  it('traces(...) lists each trace once at its newest root, with sums over every span', async () => {
    const d = await gqlOk(s.url, TRACES, { ws: WS, first: 10 });
    const nodes = d.traces.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => n.traceId)).toEqual(['tr-agent', 'tr-2', 'tr-1']);
    expect(nodes[0]).toMatchObject({ rootSpanName: 'agent-run', startedAt: at(100), spanCount: 3, errorCount: 1 });
    expect(nodes[1]).toMatchObject({ spanCount: 1, errorCount: 0, totalTokens: 4000, rootLogId: named.idOf.get('c') });
    expect(nodes[2]).toMatchObject({ spanCount: 2, errorCount: 0, totalTokens: 1800, rootLogId: named.idOf.get('b') });
    expect(nodes[2].cost).toBeCloseTo(0.8);
    // Paging: one per page, the same three traces.
    const pages: any[] = [];
    let after: string | undefined;
    for (let i = 0; i < 4; i++) {
      const p = (await gqlOk(s.url, TRACES, { ws: WS, first: 1, ...(after && { after }) })).traces;
      if (i < 2) expect(p.pageInfo.hasNextPage).toBe(true);
      pages.push(...p.edges);
      after = p.pageInfo.endCursor;
      if (!after) break;
    }
    expect(pages.map((e: any) => e.node.traceId)).toEqual(['tr-agent', 'tr-2', 'tr-1']);
    const viaTrpc = await trpc(s.url).traces.list.query({ workspaceId: WS, filter: { from: at(90) } });
    expect(viaTrpc.items.map((t) => [t.traceId, t.spanCount])).toEqual([['tr-agent', 3]]);
  });

  it('logSuggestions offers known values containing the typed text, prefix matches first', async () => {
    const q = `query($f: SuggestionField!, $p: String, $ws: ID) { logSuggestions(field: $f, prefix: $p, workspaceId: $ws) { value count } }`;
    const models = (await gqlOk(s.url, q, { f: 'MODEL', p: 'GPT', ws: WS })).logSuggestions;
    expect(models.map((m: any) => m.value)).toEqual(expect.arrayContaining(['gpt-4o', 'gpt-4o-mini']));
    expect(models.every((m: any) => m.value.startsWith('gpt'))).toBe(true);
    const codes = (await gqlOk(s.url, q, { f: 'STATUS_CODE', ws: WS })).logSuggestions.map((m: any) => m.value);
    expect(new Set(codes)).toEqual(new Set(['200', '429', '500', '400']));
    const keys = await trpc(s.url).logs.suggest.query({ field: 'metadataKey', prefix: 'user', workspaceId: WS });
    expect(keys.map((k) => k.value)).toEqual(['user.id', '_user']); // starts-with first, then contains
  });

  it('searchLogBodies finds a phrase in bodies within a time range, and says how far it read', async () => {
    const q = `query($t: String!, $f: LogFilter!, $ws: ID) { searchLogBodies(text: $t, filter: $f, workspaceId: $ws) { logs { id } scanned complete resumeBefore } }`;
    const hit = (await gqlOk(s.url, q, { t: 'purple heron', f: { from: at(0) }, ws: WS })).searchLogBodies;
    expect(hit).toMatchObject({ scanned: 14, complete: true, resumeBefore: null });
    expect(hit.logs).toHaveLength(1);
    const bounded = await trpc(s.url).logs.searchBodies.query({ text: 'gpt-4o', filter: { from: at(0) }, first: 2, workspaceId: WS });
    expect([bounded.items.length, bounded.scanned, bounded.complete, bounded.resumeBefore]).toEqual([2, 2, false, at(102)]);
    const unbounded = await gqlError(s.url, q, { t: 'heron', f: {}, ws: WS });
    expect([unbounded.code, unbounded.details?.[0]?.path]).toEqual(['BAD_USER_INPUT', ['filter', 'from']]);
  });

  it('deleteExport removes a draft (GraphQL and tRPC); a deleted export is gone', async () => {
    const create = `mutation($input: CreateExportInput!) { createExport(input: $input) { id status } }`;
    const del = `mutation($id: ID!) { deleteExport(id: $id) }`;
    const a = (await gqlOk(s.url, create, { input: { workspaceId: WS, requestedData: ['id'] } })).createExport.id;
    expect((await gqlOk(s.url, del, { id: a })).deleteExport).toBe(a);
    expect((await gqlOk(s.url, `query($id: ID!) { logExport(id: $id) { id } }`, { id: a })).logExport).toBeNull();
    expect((await gqlError(s.url, del, { id: a })).code).toBe('NOT_FOUND');
    const b = (await gqlOk(s.url, create, { input: { workspaceId: WS, requestedData: ['id'] } })).createExport.id;
    expect(await trpc(s.url).exports.delete.mutate({ id: b })).toEqual({ id: b, deleted: true });
    expect((await trpcError(trpc(s.url).exports.get.query({ id: b }))).data?.code).toBe('NOT_FOUND');
  });

  it('logsAdded streams logs stored after subscribing, filtered', async () => {
    const client = wsClient(s.url, { apiKey: ROOT_KEY });
    const batches: string[][] = [];
    let ready!: () => void;
    const got = new Promise<void>((r) => (ready = r));
    const stop = client.subscribe<any>(
      {
        query: `subscription($f: LogFilter, $ws: ID) { logsAdded(filter: $f, workspaceId: $ws) { id model } }`,
        variables: { f: { model: 'gpt-4o-mini' }, ws: WS },
      },
      {
        next: (r) => {
          batches.push(r.data.logsAdded.map((l: any) => l.model));
          ready();
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
    await new Promise((r) => setTimeout(r, 700));
    await seedLogs(s, [specLog({ ...SPECS.a!, at: 200 }), specLog({ ...SPECS.b!, at: 200 })], { workspace: WS });
    await got;
    stop();
    await client.dispose();
    expect(batches).toEqual([['gpt-4o-mini']]);
  });
});
