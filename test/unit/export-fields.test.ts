import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import {
  DEFAULT_EXPORT_FIELDS,
  EXPORT_FIELD_NAMES,
  EXPORT_FIELDS,
  resolveRequestedFields,
  type ExportFieldName,
  type ExportRow,
} from '../../src/domain/exports/export-fields.js';
import type { LogRecord } from '../../src/domain/logs/log-model.js';

const requestBody = {
  model: 'gpt-4o',
  messages: [{ role: 'user', content: 'Say "hi", then\na newline, a comma, and ünïcödé 🎉' }],
  response_format: { type: 'json_schema', json_schema: { schema: { $defs: { a: { type: 'string' } }, 'a.b': 1 } } },
};
const responseBody = {
  id: 'chatcmpl-1',
  model: 'gpt-4o-2024-08-06',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hi, "there"' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 },
};

function fixture(overrides: Partial<LogRecord> = {}): LogRecord {
  return {
    id: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    workspaceId: 'ws-1',
    organisationId: 'org-1',
    clientId: 'client-log-1',
    source: 'rest',
    createdAt: new Date('2024-05-01T12:34:56.789Z'),
    traceId: 'trace-1',
    spanId: 'span-2',
    parentSpanId: 'span-1',
    spanName: 'chat',
    request: {
      url: 'https://api.openai.com/v1/chat/completions',
      method: 'POST',
      provider: 'openai',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(requestBody),
    },
    response: { status: 200, headers: {}, body: JSON.stringify(responseBody), responseTime: 812 },
    metadata: { _user: 'u-1', 'env.name': 'prod', $tier: 'gold' },
    derived: {
      provider: 'openai',
      model: 'gpt-4o',
      requestTokens: 1000,
      responseTokens: 500,
      totalTokens: 1500,
      cost: 0.75,
      costCurrency: 'USD',
      costSource: 'computed',
      statusCode: 200,
      isSuccess: true,
      responseTimeMs: 812,
      promptSlug: 'pp-welcome',
      promptVersionId: '3',
      configId: 'pc-main',
      virtualKey: 'vk-openai',
      cacheStatus: 'MISS',
      cacheType: 'SIMPLE',
      streamMode: false,
      mode: 'FALLBACK',
      runtime: 'node',
      runtimeVersion: '20.19.0',
      sdkVersion: '3.1.0',
      retrySuccessCount: 2,
    },
    weightedFeedback: 2.5,
    ...overrides,
  };
}

const EXPECTED: Record<ExportFieldName, unknown> = {
  id: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  trace_id: 'trace-1',
  span_id: 'span-2',
  parent_span_id: 'span-1',
  span_name: 'chat',
  created_at: '2024-05-01T12:34:56.789Z',
  request: requestBody,
  'request.body': requestBody,
  response: responseBody,
  'response.body': responseBody,
  ai_provider: 'openai',
  ai_org: 'openai',
  ai_model: 'gpt-4o',
  weighted_feedback: 2.5,
  request_tokens: 1000,
  req_units: 1000,
  response_tokens: 500,
  res_units: 500,
  total_tokens: 1500,
  total_units: 1500,
  cost: 0.75,
  cost_currency: 'USD',
  response_time: 812,
  status_code: 200,
  response_status_code: 200,
  is_success: true,
  request_url: 'https://api.openai.com/v1/chat/completions',
  request_method: 'POST',
  cache_status: 'MISS',
  cache_type: 'SIMPLE',
  stream_mode: false,
  retry_success_count: 2,
  mode: 'FALLBACK',
  virtual_key: 'vk-openai',
  runtime: 'node',
  runtime_version: '20.19.0',
  sdk_version: '3.1.0',
  config: 'pc-main',
  prompt_slug: 'pp-welcome',
  prompt_version_id: '3',
  metadata: { _user: 'u-1', 'env.name': 'prod', $tier: 'gold' },
  'metadata.key': ['_user', 'env.name', '$tier'],
  'metadata.value': ['u-1', 'prod', 'gold'],
};

const expectedCsv = (v: unknown) => (v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

describe('export field catalogue', () => {
  it('lists every field of both seeds, by either generation of names', () => {
    expect([...EXPORT_FIELD_NAMES].sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(Object.keys(EXPORT_FIELDS).sort()).toEqual([...EXPORT_FIELD_NAMES].sort());
  });

  it('defaults to the seed example selection', () => {
    expect(DEFAULT_EXPORT_FIELDS).toEqual([
      'id',
      'trace_id',
      'created_at',
      'request',
      'response',
      'ai_provider',
      'ai_model',
      'request_tokens',
      'response_tokens',
      'total_tokens',
      'cost',
      'response_time',
      'status_code',
    ]);
    expect(resolveRequestedFields([...DEFAULT_EXPORT_FIELDS])).toHaveLength(13);
  });

  it('maps older names onto their current field', () => {
    const canon = (n: string) => resolveRequestedFields([n])[0]!.canonical;
    expect(canon('ai_org')).toBe('ai_provider');
    expect(canon('req_units')).toBe('request_tokens');
    expect(canon('res_units')).toBe('response_tokens');
    expect(canon('total_units')).toBe('total_tokens');
    expect(canon('response_status_code')).toBe('status_code');
    expect(canon('request.body')).toBe('request');
    expect(canon('response.body')).toBe('response');
  });

  const row: ExportRow = fixture();
  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`renders ${name} as value, JSON and CSV`, () => {
      const [field] = resolveRequestedFields([name]);
      expect(field!.name).toBe(name);
      expect(field!.value(row)).toEqual(expected);
      expect(JSON.parse(field!.json(row))).toEqual(expected);
      expect(field!.csv(row)).toBe(expectedCsv(expected));
    });
  }

  it('splices stored bodies verbatim instead of re-serialising them', () => {
    const [req] = resolveRequestedFields(['request']);
    const stored = '{"b":1,"a":{"$defs":{},"a.b":[1.50,2e3]}}';
    expect(req!.json(fixture({ request: { ...fixture().request, body: stored } }))).toBe(stored);
  });

  it('gives null for every missing value, so every line carries every key', () => {
    const bare: ExportRow = {
      id: 'x',
      createdAt: new Date(Number.NaN),
      metadata: {},
      request: { url: 'u', method: 'POST', body: undefined as unknown as string },
      response: { body: undefined as unknown as string },
      derived: { statusCode: 0, isSuccess: false, cost: Number.NaN },
    };
    const kept = new Set([
      'id',
      'request_url',
      'request_method',
      'status_code',
      'response_status_code',
      'is_success',
      'metadata',
      'metadata.key',
      'metadata.value',
    ]);
    for (const f of resolveRequestedFields([...EXPORT_FIELD_NAMES])) {
      if (kept.has(f.name)) continue;
      expect(f.value(bare), f.name).toBeNull();
      expect(f.json(bare), f.name).toBe('null');
      expect(f.csv(bare), f.name).toBe('');
    }
  });

  it('exports a body that is not JSON as its raw text, and re-compacts pretty-printed JSON', () => {
    const [res] = resolveRequestedFields(['response']);
    const raw = fixture({ response: { status: 502, headers: {}, body: '<html>Bad gateway</html>' } });
    expect(res!.value(raw)).toBe('<html>Bad gateway</html>');
    expect(JSON.parse(res!.json(raw))).toBe('<html>Bad gateway</html>');
    const pretty = fixture({ response: { status: 200, headers: {}, body: '{\n  "a": 1\n}' } });
    expect(res!.json(pretty)).toBe('{"a":1}');
    for (const scalar of ['42', '-1.5e3', 'true', 'null', '"text"']) {
      const r = fixture({ response: { status: 200, headers: {}, body: scalar } });
      expect(res!.json(r)).toBe(scalar);
      expect(res!.value(r)).toEqual(JSON.parse(scalar));
    }
  });

  it('keeps the first of repeated names and both of two names for one field', () => {
    const names = resolveRequestedFields(['cost', 'ai_org', 'cost', 'ai_provider', 'ai_org']).map((f) => f.name);
    expect(names).toEqual(['cost', 'ai_org', 'ai_provider']);
  });
});

describe('requested_data validation', () => {
  const catchErr = (fn: () => unknown): DomainError => {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      return err as DomainError;
    }
    throw new Error('expected a DomainError');
  };

  it('rejects unknown fields with BAD_REQUEST, listing the valid names', () => {
    const err = catchErr(() => resolveRequestedFields(['id', 'nope', 'constructor', '__proto__']));
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.message).toContain('"nope"');
    expect(err.message).toContain('"constructor"');
    for (const n of EXPORT_FIELD_NAMES) expect(err.message).toContain(n);
    expect(err.details?.map((d) => d.path)).toEqual([
      ['requested_data', 1],
      ['requested_data', 2],
      ['requested_data', 3],
    ]);
    for (const d of err.details ?? []) expect(d.message).toContain('ai_provider, ');
  });

  it('rejects an empty list and non-string entries', () => {
    expect(catchErr(() => resolveRequestedFields([])).code).toBe('BAD_REQUEST');
    expect(catchErr(() => resolveRequestedFields([42 as unknown as string])).details?.[0]?.path).toEqual(['requested_data', 0]);
    expect(catchErr(() => resolveRequestedFields('id' as unknown as string[])).code).toBe('BAD_REQUEST');
  });

  it('does not echo huge input back in full', () => {
    const err = catchErr(() => resolveRequestedFields(['x'.repeat(10_000)]));
    expect(err.message.length).toBeLessThan(2_000);
  });
});
