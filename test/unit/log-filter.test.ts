import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { LOG_FILTER_KEYS, parseLogFilter } from '../../src/domain/logs/log-filter.js';
import { fromGenerationsFilter, GENERATIONS_FILTER_KEYS } from '../../src/domain/logs/portkey-filter.js';

/** Runs fn, expecting a BAD_REQUEST DomainError, and returns its details. */
function detailsOf(fn: () => unknown): { path?: (string | number)[]; message: string }[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('BAD_REQUEST');
    return (err as DomainError).details ?? [];
  }
  throw new Error('expected a validation error');
}
const paths = (fn: () => unknown) => detailsOf(fn).map((d) => d.path);

describe('parseLogFilter (GraphQL / tRPC LogFilter)', () => {
  it('a missing filter matches everything', () => {
    expect(parseLogFilter(undefined)).toEqual({});
    expect(parseLogFilter(null)).toEqual({});
    expect(parseLogFilter({})).toEqual({});
  });

  it('normalises single values to lists, dates to Date, providers to lowercase', () => {
    const f = parseLogFilter({
      from: '2025-01-01T00:00:00Z',
      to: '2025-01-31T23:59:59.999+01:00',
      traceId: 'tr-1',
      spanId: ['sp-1', 'sp-2'],
      model: 'gpt-4o',
      provider: ['OpenAI', 'anthropic'],
      providerModel: [{ provider: 'Azure-OpenAI', model: 'gpt-4o' }],
      statusCode: 429,
      isSuccess: false,
      metadata: { env: 'prod', 'user.id': 'u-1' },
      minCost: 0.5,
      maxCost: 10,
      minTokens: 1,
      maxTokens: 2,
      minRequestTokens: 3,
      maxRequestTokens: 4,
      minResponseTokens: 5,
      maxResponseTokens: 6,
      minWeightedFeedback: -2,
      maxWeightedFeedback: 3,
      promptSlug: 'greet',
      config: ['cfg-1'],
      virtualKey: 'vk-1',
      modelPrefix: ' GPT-4 ',
    });
    expect(f).toEqual({
      from: new Date('2025-01-01T00:00:00Z'),
      to: new Date('2025-01-31T22:59:59.999Z'),
      traceId: ['tr-1'],
      spanId: ['sp-1', 'sp-2'],
      model: ['gpt-4o'],
      provider: ['openai', 'anthropic'],
      providerModel: [{ provider: 'azure-openai', model: 'gpt-4o' }],
      statusCode: [429],
      isSuccess: false,
      metadata: { env: 'prod', 'user.id': 'u-1' },
      minCost: 0.5,
      maxCost: 10,
      minTokens: 1,
      maxTokens: 2,
      minRequestTokens: 3,
      maxRequestTokens: 4,
      minResponseTokens: 5,
      maxResponseTokens: 6,
      minWeightedFeedback: -2,
      maxWeightedFeedback: 3,
      promptSlug: ['greet'],
      config: ['cfg-1'],
      virtualKey: ['vk-1'],
      modelPrefix: ['GPT-4'],
    });
    // Stored filters are parsed again later: the parsed form must parse to itself.
    expect(parseLogFilter(f)).toEqual(f);
    expect(Object.keys(f).sort()).toEqual([...LOG_FILTER_KEYS].sort());
  });

  it('accepts Date objects (GraphQL DateTime scalar) and treats explicit nulls as absent', () => {
    const from = new Date('2025-02-01T00:00:00Z');
    expect(parseLogFilter({ from, model: null, isSuccess: null, metadata: null })).toEqual({ from });
  });

  it('reports each problem with its path, under the prefix', () => {
    const details = detailsOf(() =>
      parseLogFilter(
        {
          from: '2025-01-01', // no time: ambiguous
          model: [],
          statusCode: [200, 700],
          provider: '',
          providerModel: [{ provider: 'openai' }],
          metadata: { env: 1 },
          minCost: -1,
          isSuccess: 'yes',
        },
        ['input', 'filter'],
      ),
    );
    expect(details.map((d) => d.path)).toEqual(
      expect.arrayContaining([
        ['input', 'filter', 'from'],
        ['input', 'filter', 'model'],
        ['input', 'filter', 'statusCode', 1],
        ['input', 'filter', 'provider'],
        ['input', 'filter', 'providerModel', 0, 'model'],
        ['input', 'filter', 'metadata', 'env'],
        ['input', 'filter', 'minCost'],
        ['input', 'filter', 'isSuccess'],
      ]),
    );
    expect(details.find((d) => d.path?.at(-1) === 'from')?.message).toMatch(/ISO 8601/);
  });

  it('rejects inverted ranges at the upper bound', () => {
    expect(paths(() => parseLogFilter({ from: '2025-02-01T00:00:00Z', to: '2025-01-01T00:00:00Z' }))).toEqual([['to']]);
    expect(paths(() => parseLogFilter({ minTokens: 10, maxTokens: 5, minWeightedFeedback: 1, maxWeightedFeedback: 0 }))).toEqual([
      ['maxTokens'],
      ['maxWeightedFeedback'],
    ]);
    expect(parseLogFilter({ minCost: 1, maxCost: 1 })).toEqual({ minCost: 1, maxCost: 1 });
  });

  it('names an unknown key at its path and lists the valid ones', () => {
    const [d] = detailsOf(() => parseLogFilter({ modle: 'gpt-4o' }, ['filter']));
    expect(d!.path).toEqual(['filter', 'modle']);
    expect(d!.message).toContain('modle');
    for (const k of LOG_FILTER_KEYS) expect(d!.message).toContain(k);
  });
});

describe('fromGenerationsFilter (Portkey REST GenerationsFilterSchema)', () => {
  it('translates every key', () => {
    const r = fromGenerationsFilter({
      time_of_generation_min: '2025-01-01T00:00:00Z',
      time_of_generation_max: '2025-01-31T00:00:00Z',
      total_units_min: 10,
      total_units_max: 5000,
      cost_min: 0.1,
      cost_max: 99,
      ai_model: 'gpt-4o, claude-3-5-sonnet',
      prompt_token_min: 1,
      prompt_token_max: 2000,
      completion_token_min: 3,
      completion_token_max: 4000,
      status_code: '200,429',
      metadata: { env: 'prod', retries: 2, cached: false },
      ai_org_model: 'openai__gpt-4o, anthropic__claude-3',
      weighted_feedback_min: -1,
      weighted_feedback_max: 5,
      virtual_keys: 'vk-1,vk-2',
      trace_id: 'tr-1',
      span_id: 'sp-1',
      configs: 'cfg-1',
      workspace_slug: 'ignored',
      prompt_slug: 'greet, summarise',
      page_size: 100,
      current_page: 3,
    });
    expect(r).toEqual({
      filter: {
        from: new Date('2025-01-01T00:00:00Z'),
        to: new Date('2025-01-31T00:00:00Z'),
        minTokens: 10,
        maxTokens: 5000,
        minCost: 0.1,
        maxCost: 99,
        model: ['gpt-4o', 'claude-3-5-sonnet'],
        minRequestTokens: 1,
        maxRequestTokens: 2000,
        minResponseTokens: 3,
        maxResponseTokens: 4000,
        statusCode: [200, 429],
        metadata: { env: 'prod', retries: '2', cached: 'false' },
        providerModel: [
          { provider: 'openai', model: 'gpt-4o' },
          { provider: 'anthropic', model: 'claude-3' },
        ],
        minWeightedFeedback: -1,
        maxWeightedFeedback: 5,
        virtualKey: ['vk-1', 'vk-2'],
        traceId: ['tr-1'],
        spanId: ['sp-1'],
        config: ['cfg-1'],
        promptSlug: ['greet', 'summarise'],
      },
      limit: 100,
      offset: 300,
    });
  });

  it("accepts the SDK docs' created_at: { gte, lte } form", () => {
    expect(fromGenerationsFilter({ created_at: { gte: '2024-01-01T00:00:00Z', lte: '2024-01-31T23:59:59Z' } })).toEqual({
      filter: { from: new Date('2024-01-01T00:00:00Z'), to: new Date('2024-01-31T23:59:59Z') },
    });
    expect(fromGenerationsFilter({ created_at: { gte: '2024-01-01T00:00:00Z' } }).filter).toEqual({ from: new Date('2024-01-01T00:00:00Z') });
  });

  it('coerces numbers sent as text and ignores blanks and nulls', () => {
    expect(
      fromGenerationsFilter({ cost_min: '1.5', total_units_max: ' 300 ', status_code: 200, page_size: '10', ai_model: '', trace_id: null, configs: ' , ' }),
    ).toEqual({ filter: { minCost: 1.5, maxTokens: 300, statusCode: [200] }, limit: 10 });
  });

  it('pages: neither key means no bound; page_size alone is a limit; current_page needs page_size', () => {
    expect(fromGenerationsFilter({})).toEqual({ filter: {} });
    expect(fromGenerationsFilter(undefined)).toEqual({ filter: {} });
    expect(fromGenerationsFilter({ page_size: 50 })).toEqual({ filter: {}, limit: 50 });
    expect(fromGenerationsFilter({ page_size: 50, current_page: 0 })).toEqual({ filter: {}, limit: 50, offset: 0 });
    const [d] = detailsOf(() => fromGenerationsFilter({ current_page: 2 }, ['filters']));
    expect(d).toEqual({ path: ['filters', 'current_page'], message: expect.stringContaining('page_size') });
    expect(paths(() => fromGenerationsFilter({ page_size: 0, current_page: -1 }))).toEqual([['page_size'], ['current_page']]);
    expect(paths(() => fromGenerationsFilter({ page_size: 2.5 }))).toEqual([['page_size']]);
  });

  it('rejects unknown keys, naming them and listing the valid ones', () => {
    const details = detailsOf(() => fromGenerationsFilter({ ai_models: 'gpt-4o', limit: 5 }, ['filters']));
    expect(details.map((d) => d.path)).toEqual([
      ['filters', 'ai_models'],
      ['filters', 'limit'],
    ]);
    for (const k of GENERATIONS_FILTER_KEYS) expect(details[0]!.message).toContain(k);
    expect(paths(() => fromGenerationsFilter({ created_at: { gt: '2024-01-01T00:00:00Z' } }))).toEqual([['created_at', 'gt']]);
  });

  it('reports bad values under the REST names', () => {
    expect(paths(() => fromGenerationsFilter({ status_code: '200,abc' }))).toEqual([['status_code']]);
    expect(paths(() => fromGenerationsFilter({ status_code: '200,99' }))).toEqual([['status_code']]);
    expect(paths(() => fromGenerationsFilter({ ai_org_model: 'openai__gpt-4o, gpt-4o' }))).toEqual([['ai_org_model']]);
    expect(paths(() => fromGenerationsFilter({ cost_min: 'cheap' }))).toEqual([['cost_min']]);
    expect(paths(() => fromGenerationsFilter({ metadata: { nested: { a: 1 } } }))).toEqual([['metadata', 'nested']]);
    expect(paths(() => fromGenerationsFilter({ created_at: { lte: 'yesterday' } }))).toEqual([['created_at', 'lte']]);
    expect(paths(() => fromGenerationsFilter({ time_of_generation_min: '2025-01-01' }))).toEqual([['time_of_generation_min']]);
    expect(paths(() => fromGenerationsFilter('cost > 5'))).toEqual([[]]);
  });

  it('reports an inverted range at the upper bound with the lower bound named as sent', () => {
    const [d] = detailsOf(() => fromGenerationsFilter({ cost_min: 5, cost_max: 1 }));
    expect(d).toEqual({ path: ['cost_max'], message: 'Must not be less than cost_min' });
    const [t] = detailsOf(() => fromGenerationsFilter({ created_at: { gte: '2024-02-01T00:00:00Z', lte: '2024-01-01T00:00:00Z' } }));
    expect(t).toEqual({ path: ['created_at', 'lte'], message: 'Must not be less than created_at.gte' });
  });

  it('refuses the same bound given in both date forms', () => {
    expect(paths(() => fromGenerationsFilter({ time_of_generation_min: '2024-01-01T00:00:00Z', created_at: { gte: '2024-01-02T00:00:00Z' } }))).toEqual([
      ['created_at', 'gte'],
    ]);
  });
});
