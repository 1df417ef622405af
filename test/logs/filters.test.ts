import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LogFilter, type LogFilterInput, parseLogFilter } from '../../src/domain/logs/log-filter.js';
import { fromGenerationsFilter } from '../../src/domain/logs/portkey-filter.js';
import type { LogRepository } from '../../src/domain/logs/log-model.js';
import { createLogRepository } from '../../src/storage/mongo/log-repository.js';
import { minutesAfter, type Spec, specLog, TEN_LOGS } from '../helpers/log-scenario.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ingest } from './fixtures.js';
import { withFeedbackScores } from '../../src/domain/feedback/with-feedback-scores.js';
import { createFeedbackRepository } from '../../src/storage/mongo/feedback-repository.js';
import { call } from '../helpers/http.js';

const WS = 'ws-filters';
const OTHER = 'ws-other';
const T0 = Date.parse('2025-03-01T08:00:00.000Z');
const at = minutesAfter(T0);

const SPECS = TEN_LOGS;
/** The same shape as `a`, in another workspace: must never leak into WS results. */
const X: Spec = { ...SPECS.a!, at: 5 };

const toLog = (s: Spec) => specLog(s, at);

describe('log filters: LogFilter and GenerationsFilter against the store', () => {
  let s: TestServer;
  let repo: LogRepository;
  const idOf = new Map<string, string>();
  const nameOf = new Map<string, string>();
  const ALL = Object.keys(SPECS);

  /** Names in the order the store must return them: newest first, ties by id descending. */
  const ordered = (names: string[]) =>
    [...names].sort((p, q) => SPECS[q]!.at - SPECS[p]!.at || (idOf.get(q)! < idOf.get(p)! ? -1 : idOf.get(q)! > idOf.get(p)! ? 1 : 0));

  async function run(filter: LogFilter, page: { limit?: number; offset?: number } = {}, workspace = WS): Promise<string[]> {
    const names: string[] = [];
    for await (const r of repo.streamMatching(workspace, filter, page, { batchSize: 2 })) names.push(nameOf.get(r.id) ?? r.id);
    expect(await repo.countMatching(workspace, filter, page)).toBe(names.length);
    return names;
  }
  const domain = (raw: LogFilterInput) => run(parseLogFilter(raw));
  const rest = (raw: Record<string, unknown>) => {
    const { filter, limit, offset } = fromGenerationsFilter(raw);
    return run(filter, { limit, offset });
  };

  beforeAll(async () => {
    // Segments of 3 logs: most of the ten are in sealed segments, so every filter is also evaluated on packs.
    s = await startTestServer({ LOG_SEGMENT_DOCS: '3' });
    // As the services see it: feedback bounds become the traces whose weighted feedback is in range.
    repo = withFeedbackScores(createLogRepository(s.app.database.db), createFeedbackRepository(s.app.database.db));
    const ids = await ingest(
      s,
      ALL.map((n) => toLog(SPECS[n]!)),
      { query: `?workspace_id=${WS}` },
    );
    ids.forEach((id, i) => {
      idOf.set(ALL[i]!, id);
      nameOf.set(id, ALL[i]!);
    });
    const [x] = await ingest(s, [toLog(X)], { query: `?workspace_id=${OTHER}` });
    nameOf.set(x!, 'x');
    // Feedback scores traces: tr-1 (a, b) 4, tr-2 (c) -1; logs without a trace (f) have none.
    for (const [trace_id, value] of [
      ['tr-1', 4],
      ['tr-2', -1],
    ] as const) {
      const given = await call(s.url, 'POST', '/v1/feedback', { body: { trace_id, value }, headers: { 'x-portkey-workspace-id': WS } });
      expect(given.status).toBe(200);
    }
  });
  afterAll(() => s.stop());

  it('an empty filter returns the workspace newest first, ties by id descending', async () => {
    const names = await domain({});
    expect(names).toEqual(ordered(ALL));
    expect(names[0]).toBe('j');
    expect(names.slice(1, 4).sort()).toEqual(['g', 'h', 'i']);
    expect(names.at(-1)).toBe('a');
  });

  it('each LogFilter key selects exactly the matching logs', async () => {
    const cases: [LogFilterInput, string[]][] = [
      [{ from: at(20) }, ['c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']],
      [{ to: at(20) }, ['a', 'b', 'c']],
      [{ from: at(10), to: at(50) }, ['b', 'c', 'd', 'e', 'f']],
      [{ traceId: 'tr-1' }, ['a', 'b']],
      [{ traceId: ['tr-1', 'tr-2'] }, ['a', 'b', 'c']],
      [{ spanId: 'sp-2' }, ['b']],
      [{ model: 'gpt-4o' }, ['a', 'd', 'f']],
      [{ model: ['gpt-4o-mini', 'mistral-large'] }, ['b', 'g', 'h', 'i', 'j']],
      [{ provider: 'anthropic' }, ['c', 'e']],
      [{ provider: ['OpenAI'] }, ['a', 'b', 'd', 'g', 'h', 'i']],
      [{ providerModel: [{ provider: 'openai', model: 'gpt-4o' }] }, ['a', 'd']],
      [
        {
          providerModel: [
            { provider: 'azure-openai', model: 'gpt-4o' },
            { provider: 'anthropic', model: 'claude-3-haiku' },
          ],
        },
        ['e', 'f'],
      ],
      [{ statusCode: 429 }, ['d']],
      [{ statusCode: [400, 500] }, ['e', 'j']],
      [{ isSuccess: true }, ['a', 'b', 'c', 'f', 'g', 'h', 'i']],
      [{ isSuccess: false }, ['d', 'e', 'j']],
      [{ metadata: { env: 'prod' } }, ['a', 'b', 'd', 'g', 'h', 'i', 'j']],
      [{ metadata: { env: 'prod', team: 'search' } }, ['a', 'd']],
      [{ metadata: { env: 'prod', team: 'nope' } }, []],
      [{ metadata: { env: 'search' } }, []], // a value of another key must not match
      [{ metadata: { 'user.id': 'u-7' } }, ['j']],
      [{ minCost: 1 }, ['c', 'f']],
      [{ maxCost: 0.1 }, ['b', 'd', 'e', 'g', 'h', 'i', 'j']],
      [{ minCost: 0.1, maxCost: 1 }, ['a', 'f', 'g', 'h', 'i']],
      [{ minTokens: 1000 }, ['a', 'c', 'f']],
      [{ maxTokens: 300 }, ['b', 'g', 'h', 'i']], // logs without usage have no token count and never match
      [{ minRequestTokens: 1000 }, ['a', 'c']],
      [{ maxRequestTokens: 200 }, ['b', 'g', 'h', 'i']],
      [{ minResponseTokens: 500 }, ['a', 'c', 'f']],
      [{ maxResponseTokens: 50 }, ['g', 'h', 'i']],
      [{ promptSlug: 'greet' }, ['a', 'f']],
      [{ promptSlug: ['greet', 'summarise'] }, ['a', 'c', 'f']],
      [{ config: 'cfg-1' }, ['a', 'f']],
      [{ config: ['cfg-2'] }, ['c']],
      [{ virtualKey: 'vk-openai' }, ['a', 'd']],
      [{ virtualKey: ['vk-anthropic'] }, ['c']],
      [{ minWeightedFeedback: 0 }, ['a', 'b']],
      [{ maxWeightedFeedback: 0 }, ['c']],
      [{ minWeightedFeedback: 3, maxWeightedFeedback: 5 }, ['a', 'b']],
      [{ minWeightedFeedback: 5 }, []],
    ];
    for (const [filter, expected] of cases) {
      expect({ filter, names: await domain(filter) }).toEqual({ filter, names: ordered(expected) });
    }
  });

  it('keys combine with AND, including metadata and provider/model pairs', async () => {
    expect(await domain({ model: 'gpt-4o', isSuccess: true, metadata: { env: 'prod' } })).toEqual(['a']);
    expect(await domain({ provider: 'openai', from: at(10), maxCost: 0.1, statusCode: 200 })).toEqual(ordered(['b', 'g', 'h', 'i']));
    const pairs = [
      { provider: 'openai', model: 'gpt-4o' },
      { provider: 'openai', model: 'gpt-4o-mini' },
    ];
    expect(await domain({ providerModel: pairs, metadata: { team: 'search' } })).toEqual(ordered(['a', 'd']));
    expect(await domain({ providerModel: pairs, traceId: 'tr-1', minTokens: 1000 })).toEqual(['a']);
  });

  it('each GenerationsFilter key translates to the same selection', async () => {
    const cases: [Record<string, unknown>, string[]][] = [
      [{ time_of_generation_min: at(20), time_of_generation_max: at(50) }, ['c', 'd', 'e', 'f']],
      [{ created_at: { gte: at(60) } }, ['g', 'h', 'i', 'j']],
      [{ created_at: { gte: at(0), lte: at(10) } }, ['a', 'b']],
      [{ total_units_min: '1000' }, ['a', 'c', 'f']],
      [{ total_units_max: 300 }, ['b', 'g', 'h', 'i']],
      [{ cost_min: 1 }, ['c', 'f']],
      [{ cost_max: '0.05' }, ['b', 'd', 'e', 'j']],
      [{ ai_model: 'gpt-4o, claude-3-haiku' }, ['a', 'd', 'e', 'f']],
      [{ prompt_token_min: 1000 }, ['a', 'c']],
      [{ prompt_token_max: 100 }, ['g', 'h', 'i']],
      [{ completion_token_min: 500 }, ['a', 'c', 'f']],
      [{ completion_token_max: 100 }, ['b', 'g', 'h', 'i']],
      [{ status_code: '400,500' }, ['e', 'j']],
      [{ status_code: '429' }, ['d']],
      [{ metadata: { env: 'dev' } }, ['c', 'f']],
      [{ metadata: { team: 'search', env: 'prod' } }, ['a', 'd']],
      [{ ai_org_model: 'openai__gpt-4o, anthropic__claude-3-5-sonnet' }, ['a', 'c', 'd']],
      [{ weighted_feedback_min: 0 }, ['a', 'b']],
      [{ weighted_feedback_max: -1 }, ['c']],
      [{ virtual_keys: 'vk-openai,vk-anthropic' }, ['a', 'c', 'd']],
      [{ trace_id: 'tr-1' }, ['a', 'b']],
      [{ span_id: 'sp-1' }, ['a']],
      [{ configs: 'cfg-1' }, ['a', 'f']],
      [{ prompt_slug: 'summarise' }, ['c']],
      [{ workspace_slug: 'some-other-workspace' }, ALL],
      [{ ai_model: 'gpt-4o', status_code: '200', metadata: { env: 'dev' } }, ['f']],
    ];
    for (const [filter, expected] of cases) {
      expect({ filter, names: await rest(filter) }).toEqual({ filter, names: ordered(expected) });
    }
  });

  it('page_size and current_page page through the newest-first order', async () => {
    const all = ordered(ALL);
    expect(await rest({ page_size: 3 })).toEqual(all.slice(0, 3));
    expect(await rest({ page_size: 3, current_page: 1 })).toEqual(all.slice(3, 6));
    expect(await rest({ page_size: '3', current_page: '3' })).toEqual(all.slice(9));
    expect(await rest({ page_size: 3, current_page: 4 })).toEqual([]);
    expect(await rest({ ai_model: 'gpt-4o-mini', page_size: 2, current_page: 1 })).toEqual(ordered(['b', 'g', 'h', 'i']).slice(2, 4));
  });

  it('limit and offset bound the stream and the count alike', async () => {
    const all = ordered(ALL);
    expect(await run({}, { limit: 4 })).toEqual(all.slice(0, 4));
    expect(await run({}, { offset: 3, limit: 2 })).toEqual(all.slice(3, 5));
    expect(await run({}, { offset: 9, limit: 5 })).toEqual(all.slice(9));
    expect(await run({}, { offset: 20 })).toEqual([]);
    expect(await run({ isSuccess: false }, { offset: 1 })).toEqual(['e', 'd']);
    expect(await repo.countMatching(WS, {})).toBe(ALL.length);
  });

  it('is scoped to one workspace', async () => {
    expect(await domain({ traceId: 'tr-1' })).toEqual(ordered(['a', 'b']));
    expect(await run(parseLogFilter({ traceId: 'tr-1' }), {}, OTHER)).toEqual(['x']);
    expect(await run({}, {}, OTHER)).toEqual(['x']);
    expect(await run({}, {}, 'ws-empty')).toEqual([]);
  });

  it('a stream abandoned early releases its cursor and the store keeps serving', async () => {
    for await (const r of repo.streamMatching(WS, {}, {}, { batchSize: 1 })) {
      expect(nameOf.get(r.id)).toBe('j');
      break;
    }
    expect(await run({ statusCode: [429] })).toEqual(['d']);
  });

  it('listMatching pages newest first across created_at ties, with no row repeated or skipped', async () => {
    const all = ordered(ALL);
    for (const first of [1, 2, 3, 4, 10, 11]) {
      const seen: string[] = [];
      let after: { createdAt: Date; id: string } | undefined;
      for (let pages = 0; pages < 20; pages++) {
        const page = await repo.listMatching(WS, {}, { first, after });
        expect(page.length).toBeLessThanOrEqual(first);
        seen.push(...page.map((r) => nameOf.get(r.id)!));
        if (page.length < first) break;
        const last = page.at(-1)!;
        after = { createdAt: last.createdAt, id: last.id };
      }
      expect({ first, seen }).toEqual({ first, seen: all });
    }
  });

  it('listMatching applies the filter, including provider/model pairs, on every page', async () => {
    const filter = parseLogFilter({
      providerModel: [
        { provider: 'openai', model: 'gpt-4o-mini' },
        { provider: 'azure-openai', model: 'gpt-4o' },
      ],
    });
    const first = await repo.listMatching(WS, filter, { first: 2 });
    const last = first.at(-1)!;
    const second = await repo.listMatching(WS, filter, { first: 2, after: { createdAt: last.createdAt, id: last.id } });
    const third = await repo.listMatching(WS, filter, { first: 2, after: { createdAt: second.at(-1)!.createdAt, id: second.at(-1)!.id } });
    expect([...first, ...second, ...third].map((r) => nameOf.get(r.id))).toEqual(ordered(['b', 'f', 'g', 'h', 'i']));
    expect(third).toHaveLength(1);
    expect(await repo.listMatching(OTHER, filter, { first: 5 })).toEqual([]);
    expect(await repo.listMatching(WS, {}, { first: 0 })).toEqual([]);
  });

  it('returns full records', async () => {
    const [r] = await Promise.all([repo.listMatching(WS, parseLogFilter({ spanId: 'sp-1' }), { first: 1 })]);
    expect(r).toHaveLength(1);
    expect(r![0]).toMatchObject({
      id: idOf.get('a'),
      workspaceId: WS,
      traceId: 'tr-1',
      spanId: 'sp-1',
      createdAt: new Date(at(0)),
      metadata: { env: 'prod', team: 'search', cost: '0.75' },
      derived: { provider: 'openai', model: 'gpt-4o', totalTokens: 1500, cost: 0.75, statusCode: 200, isSuccess: true, promptSlug: 'greet' },
    });
  });
});
