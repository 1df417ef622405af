import { SpanKind } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { logIdFor } from '../../src/domain/logs/log-id.js';
import type { LogRecord } from '../../src/domain/logs/log-model.js';
import { computeCostCents } from '../../src/domain/logs/pricing.js';
import { normaliseProvider } from '../../src/domain/traces/genai-attributes.js';
import { isJsonText, jsonValueText } from '../../src/domain/traces/json-text.js';
import { ingestSpans } from '../../src/domain/traces/ingest-spans.js';
import { mapSpan } from '../../src/domain/traces/map-span.js';
import type { OtlpExport, OtlpSpan } from '../../src/domain/traces/otlp-model.js';
import { decodeOtlpJson, decodeOtlpProtobuf } from '../../src/transports/otlp/decode.js';
import { actor, allSpans, hrMs, MemoryRepo, recordTree, type SpanSpec, serialize } from './otlp-fixtures.js';

const receivedAt = new Date('2030-01-01T00:00:00Z');

function mapExport(e: OtlpExport, workspaceId = 'ws-1'): LogRecord[] {
  return allSpans(e).map(({ span, resource, scope }) => mapSpan(span, { resource, scope, workspaceId, organisationId: 'org-1', receivedAt }));
}

/** Records the spec with the SDK, sends it through both exporter encodings, and maps what comes out. */
function mapSpecs(specs: SpanSpec[], resource?: Record<string, string>): LogRecord[] {
  const { proto, json } = serialize(recordTree(specs, resource));
  const fromProto = mapExport(decodeOtlpProtobuf(proto));
  expect(mapExport(decodeOtlpJson(json))).toStrictEqual(fromProto);
  return fromProto;
}

const mapOne = (spec: SpanSpec, resource?: Record<string, string>) => mapSpecs([spec], resource)[0]!;
const body = (text: string) => JSON.parse(text) as Record<string, unknown>;

describe('GenAI spans, current semantic conventions', () => {
  const input = [{ role: 'user', parts: [{ type: 'text', content: 'Rotate my key?' }] }];
  const output = [{ role: 'assistant', parts: [{ type: 'text', content: 'Open Settings.' }], finish_reason: 'stop' }];
  const log = mapOne(
    {
      name: 'chat gpt-4o',
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.response.model': 'gpt-4o-2024-08-06',
        'gen_ai.response.id': 'chatcmpl-1',
        'gen_ai.request.temperature': 0.2,
        'gen_ai.request.max_tokens': 256,
        'gen_ai.request.top_p': 0.9,
        'gen_ai.request.stop_sequences': ['END'],
        'gen_ai.response.finish_reasons': ['stop'],
        'gen_ai.usage.input_tokens': 1200,
        'gen_ai.usage.output_tokens': 300,
        'gen_ai.usage.cache_read.input_tokens': 1000,
        'gen_ai.usage.reasoning_tokens': 100,
        'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: 'Be brief.' }]),
        'gen_ai.input.messages': JSON.stringify(input),
        'gen_ai.output.messages': JSON.stringify(output),
        'user.id': 'user-7',
        'session.id': 'sess-3',
        'gen_ai.conversation.id': 'conv-9',
        'server.address': 'api.openai.com',
        'app.feature': 'billing',
        'app.retries': 2,
        'app.tags': ['a', 'b'],
      },
    },
    { 'service.name': 'support-api', 'deployment.environment.name': 'prod' },
  );

  it('derives provider, model, tokens and a computed cost', () => {
    expect(log.derived).toMatchObject({
      provider: 'openai',
      model: 'gpt-4o-2024-08-06',
      requestTokens: 1200,
      responseTokens: 300,
      totalTokens: 1500,
      cacheReadTokens: 1000,
      reasoningTokens: 100,
      statusCode: 200,
      isSuccess: true,
      costSource: 'computed',
      costCurrency: 'USD',
    });
    const expected = computeCostCents({
      provider: 'openai',
      model: 'gpt-4o-2024-08-06',
      inputTokens: 1200,
      outputTokens: 300,
      cacheReadTokens: 1000,
      timestamp: log.createdAt,
    });
    expect(expected).toBeDefined();
    expect(log.derived.cost).toBe(expected!.cents);
  });

  it('builds request and response bodies from messages, instructions and request parameters', () => {
    expect(body(log.request.body)).toEqual({
      model: 'gpt-4o',
      temperature: 0.2,
      max_tokens: 256,
      top_p: 0.9,
      stop: ['END'],
      system: [{ type: 'text', content: 'Be brief.' }],
      messages: input,
    });
    expect(body(log.response.body)).toEqual({
      id: 'chatcmpl-1',
      model: 'gpt-4o-2024-08-06',
      messages: output,
      finish_reasons: ['stop'],
      usage: {
        prompt_tokens: 1200,
        completion_tokens: 300,
        total_tokens: 1500,
        prompt_tokens_details: { cached_tokens: 1000 },
        completion_tokens_details: { reasoning_tokens: 100 },
      },
    });
  });

  it('flattens user, session, service and operation into metadata', () => {
    expect(log.metadata).toEqual({
      'service.name': 'support-api',
      'user.id': 'user-7',
      'session.id': 'sess-3',
      'gen_ai.conversation.id': 'conv-9',
      'gen_ai.operation.name': 'chat',
    });
  });

  it('keeps every attribute, mapped or not, as text', () => {
    expect(Object.keys(log.span!.attributes)).toHaveLength(24);
    expect(log.span!.attributes).toMatchObject({ 'app.feature': 'billing', 'app.retries': '2', 'app.tags': '["a","b"]', 'gen_ai.request.temperature': '0.2' });
    expect(log.span!.attributes['gen_ai.input.messages']).toBe(JSON.stringify(input));
    expect(log.span!.resourceAttributes).toMatchObject({ 'service.name': 'support-api', 'deployment.environment.name': 'prod', 'otel.scope.version': '1.2.3' });
    expect(log.span).toMatchObject({ kind: 'CLIENT', statusCode: 'OK', serviceName: 'support-api', scopeName: 'test-instrumentation', operation: 'chat' });
  });

  it('identifies the log by workspace, trace and span, and describes the call', () => {
    expect(log.id).toBe(logIdFor('ws-1', `${log.traceId}:${log.spanId}`));
    expect(log).toMatchObject({ source: 'otlp', spanName: 'chat gpt-4o', workspaceId: 'ws-1', organisationId: 'org-1' });
    expect(log.request).toMatchObject({ url: 'otel://support-api/chat%20gpt-4o', method: 'POST', provider: 'openai', headers: {} });
    expect(log.response.status).toBe(200);
    expect(log.createdAt).toEqual(log.span!.startTime);
    expect(log.response.responseTime).toBe(log.derived.responseTimeMs);
    expect(log.response.responseTime!).toBeGreaterThanOrEqual(0);
  });
});

describe('GenAI spans, legacy and OpenInference names', () => {
  it('reads gen_ai.system, prompt/completion tokens and flattened gen_ai.prompt.N / gen_ai.completion.N', () => {
    const log = mapOne({
      name: 'bedrock.converse',
      attributes: {
        'gen_ai.system': 'aws.bedrock',
        'gen_ai.request.model': 'anthropic.claude-3-5-sonnet-20240620-v1:0',
        'gen_ai.usage.prompt_tokens': 50,
        'gen_ai.usage.completion_tokens': 20,
        // Anthropic-style counts reported beside an input count that excludes them.
        'gen_ai.usage.cache_read_input_tokens': 400,
        'gen_ai.usage.cache_creation_input_tokens': 100,
        'gen_ai.prompt.0.role': 'system',
        'gen_ai.prompt.0.content': 'Be brief.',
        'gen_ai.prompt.1.role': 'user',
        'gen_ai.prompt.1.content': 'Weather in Paris?',
        'gen_ai.completion.0.role': 'assistant',
        'gen_ai.completion.0.finish_reason': 'tool_use',
        'gen_ai.completion.0.tool_calls.0.name': 'get_weather',
        'gen_ai.completion.0.tool_calls.0.arguments': '{"city":"Paris"}',
      },
    });
    expect(log.derived).toMatchObject({
      provider: 'bedrock',
      model: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
      requestTokens: 550,
      responseTokens: 20,
      totalTokens: 570,
      cacheReadTokens: 400,
      cacheWriteTokens: 100,
    });
    expect(body(log.request.body)).toEqual({
      model: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Paris?' },
      ],
    });
    expect(body(log.response.body).messages).toEqual([
      { role: 'assistant', finish_reason: 'tool_use', tool_calls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }] },
    ]);
  });

  it('reads OpenInference llm.* names', () => {
    const log = mapOne({
      name: 'ChatOpenAI',
      attributes: {
        'llm.model_name': 'gpt-4o-mini',
        'llm.provider': 'openai',
        'llm.token_count.prompt': 10,
        'llm.token_count.completion': 5,
        'llm.token_count.total': 15,
        'llm.input_messages.0.message.role': 'user',
        'llm.input_messages.0.message.content': 'Hi',
        'llm.output_messages.0.message.role': 'assistant',
        'llm.output_messages.0.message.content': 'Hello!',
      },
    });
    expect(log.derived).toMatchObject({
      provider: 'openai',
      model: 'gpt-4o-mini',
      requestTokens: 10,
      responseTokens: 5,
      totalTokens: 15,
      costSource: 'computed',
    });
    expect(body(log.request.body)).toEqual({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
    expect(body(log.response.body).messages).toEqual([{ role: 'assistant', content: 'Hello!' }]);
  });

  it('prefers the response model, then the request model, then llm.model_name', () => {
    const models = (attributes: Record<string, string>) => mapOne({ name: 'chat', attributes }).derived.model;
    expect(models({ 'gen_ai.response.model': 'a', 'gen_ai.request.model': 'b', 'llm.model_name': 'c' })).toBe('a');
    expect(models({ 'gen_ai.request.model': 'b', 'llm.model_name': 'c' })).toBe('b');
    expect(models({ 'llm.model_name': 'c' })).toBe('c');
  });

  it('reads messages from the event-based conventions', () => {
    const log = mapOne({
      name: 'chat claude',
      attributes: { 'gen_ai.provider.name': 'anthropic', 'gen_ai.request.model': 'claude-3-5-haiku-latest' },
      events: [
        { name: 'gen_ai.system.message', attributes: { 'gen_ai.system': 'anthropic', content: 'Be brief.' } },
        { name: 'gen_ai.user.message', attributes: { content: 'Hi' } },
        { name: 'gen_ai.choice', attributes: { index: 0, finish_reason: 'stop', message: '{"role":"assistant","content":"Hello"}' } },
      ],
    });
    expect(body(log.request.body).messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
    ]);
    expect(body(log.response.body).messages).toEqual([{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Hello' } }]);
    expect(log.span!.events.map((e) => e.name)).toEqual(['gen_ai.system.message', 'gen_ai.user.message', 'gen_ai.choice']);
    expect(log.span!.events[2]!.attributes).toEqual({ index: '0', finish_reason: 'stop', message: '{"role":"assistant","content":"Hello"}' });

    const old = mapOne({
      name: 'completion',
      events: [
        { name: 'gen_ai.content.prompt', attributes: { 'gen_ai.prompt': '[{"role":"user","content":"Hi"}]' } },
        { name: 'gen_ai.content.completion', attributes: { 'gen_ai.completion': 'Hello there' } },
      ],
    });
    expect(body(old.request.body).messages).toEqual([{ role: 'user', content: 'Hi' }]);
    expect(body(old.response.body).messages).toEqual([{ role: 'assistant', content: 'Hello there' }]);
  });

  it('normalises provider names to the REST logs vocabulary', () => {
    const cases: Record<string, string> = {
      'aws.bedrock': 'bedrock',
      'gcp.vertex_ai': 'vertex-ai',
      'gcp.gemini': 'google',
      'gcp.gen_ai': 'google',
      'az.ai.openai': 'azure-openai',
      'azure.ai.openai': 'azure-openai',
      'az.ai.inference': 'azure-ai',
      mistral_ai: 'mistral-ai',
      xai: 'x-ai',
      OpenAI: 'openai',
      anthropic: 'anthropic',
    };
    for (const [name, expected] of Object.entries(cases)) expect(normaliseProvider(name)).toBe(expected);
    // gen_ai.provider.name wins over gen_ai.system; without either, a known host still tells.
    expect(mapOne({ name: 'c', attributes: { 'gen_ai.provider.name': 'gcp.vertex_ai', 'gen_ai.system': 'gemini' } }).derived.provider).toBe('vertex-ai');
    expect(mapOne({ name: 'c', attributes: { 'server.address': 'api.anthropic.com' } }).derived.provider).toBe('anthropic');
  });
});

describe('cost, status and non-GenAI spans', () => {
  it('takes gen_ai.usage.cost (USD) as the client cost, in cents', () => {
    const log = mapOne({ name: 'chat', attributes: { 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.cost': 0.0123 } });
    expect(log.derived).toMatchObject({ cost: 1.23, costCurrency: 'USD', costSource: 'client' });
  });

  it('leaves cost unset when the model has no known price', () => {
    const log = mapOne({ name: 'chat', attributes: { 'gen_ai.request.model': 'in-house-model-7', 'gen_ai.usage.input_tokens': 10 } });
    expect(log.derived.cost).toBeUndefined();
    expect(log.derived.costSource).toBeUndefined();
  });

  it('maps ERROR to a failed 500 with the message in the response body', () => {
    const log = mapOne({ name: 'chat', error: 'upstream timed out', attributes: { 'gen_ai.request.model': 'gpt-4o', 'error.type': 'TimeoutError' } });
    expect(log.derived).toMatchObject({ statusCode: 500, isSuccess: false });
    expect(log.response.status).toBe(500);
    expect(log.span).toMatchObject({ statusCode: 'ERROR', statusMessage: 'upstream timed out' });
    expect(body(log.response.body).error).toEqual({ message: 'upstream timed out', type: 'TimeoutError' });
  });

  it('uses http.response.status_code when the span has one', () => {
    expect(mapOne({ name: 'POST', error: 'rate limited', attributes: { 'http.response.status_code': 429 } }).derived).toMatchObject({
      statusCode: 429,
      isSuccess: false,
    });
    expect(mapOne({ name: 'POST', attributes: { 'http.response.status_code': 201, 'http.request.method': 'put' } })).toMatchObject({
      derived: { statusCode: 201, isSuccess: true },
      request: { method: 'PUT' },
    });
  });

  it('maps plain spans too, with empty bodies and the URL the span names', () => {
    const log = mapOne({ name: 'GET /health', kind: SpanKind.SERVER, attributes: { 'url.full': 'https://user:secret@example.com/health?api_key=abc' } });
    expect(log.request.body).toBe('{}');
    expect(log.response.body).toBe('{}');
    expect(log.request.url).toBe('https://user:[redacted]@example.com/health?api_key=[redacted]');
    expect(log.span!.kind).toBe('SERVER');
    expect(log.derived).toEqual({ statusCode: 200, isSuccess: true, responseTimeMs: log.response.responseTime });
  });
});

describe('ingestSpans', () => {
  const tree: SpanSpec[] = [
    {
      name: 'POST /support',
      kind: SpanKind.SERVER,
      children: [{ name: 'invoke_agent', kind: SpanKind.INTERNAL, children: [{ name: 'chat gpt-4o', attributes: { 'gen_ai.request.model': 'gpt-4o' } }] }],
    },
  ];

  it('stores a three-level trace whose parent ids form the tree, idempotently', async () => {
    const spans = recordTree(tree);
    const repo = new MemoryRepo();
    const { proto, json } = serialize(spans);
    const first = await ingestSpans(repo.repo, actor(), { workspaceId: 'ws-1', export: decodeOtlpProtobuf(proto) });
    expect(first).toEqual({ accepted: 3, rejected: 0 });
    // The same spans again, in the other encoding: same ids, nothing new.
    expect(await ingestSpans(repo.repo, actor(), { workspaceId: 'ws-1', export: decodeOtlpJson(json) })).toEqual({ accepted: 3, rejected: 0 });
    expect(repo.byId.size).toBe(3);
    const byName = new Map([...repo.byId.values()].map((r) => [r.spanName, r]));
    const [root, agent, chat] = ['POST /support', 'invoke_agent', 'chat gpt-4o'].map((n) => byName.get(n)!);
    expect(root!.parentSpanId).toBeUndefined();
    expect(agent!.parentSpanId).toBe(root!.spanId);
    expect(chat!.parentSpanId).toBe(agent!.spanId);
    expect(new Set([root!.traceId, agent!.traceId, chat!.traceId]).size).toBe(1);
    expect(chat!.createdAt.getTime()).toBe(Math.trunc(hrMs(spans.find((s) => s.name === 'chat gpt-4o')!.startTime)));
    // Another workspace gets its own copies.
    await ingestSpans(repo.repo, actor(), { workspaceId: 'ws-2', export: decodeOtlpProtobuf(proto) });
    expect(repo.byId.size).toBe(6);
  });

  it('rejects spans with unusable ids or no start time, stores the rest and says why', async () => {
    const base = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 's', kind: 1, startTimeMs: 1_700_000_000_000 };
    const good = (over: Partial<OtlpSpan>): OtlpSpan => ({ ...base, endTimeMs: 1_700_000_000_500, attributes: {}, events: [], status: { code: 0 }, ...over });
    const spans = [
      good({}),
      good({ spanId: 'a7ad6b7169203331', parentSpanId: 'not-an-id' }),
      good({ traceId: '00000000000000000000000000000000' }),
      good({ traceId: '0AF7651916CD43DD8448EB211C80319C' }),
      good({ spanId: '0000000000000000' }),
      good({ spanId: 'b7ad6b71692033' }),
      good({ spanId: 'c7ad6b7169203331', startTimeMs: 0 }),
    ];
    const repo = new MemoryRepo();
    const result = await ingestSpans(repo.repo, actor(), { export: { resourceSpans: [{ resource: {}, scopeSpans: [{ scope: { attributes: {} }, spans }] }] } });
    expect(result).toEqual({
      accepted: 2,
      rejected: 5,
      errorMessage:
        '5 spans were rejected: 2 with an invalid trace id (expected 32 hex digits, not all zero); 2 with an invalid span id (expected 16 hex digits, not all zero); 1 with no start time',
    });
    expect([...repo.byId.values()].map((r) => [r.workspaceId, r.parentSpanId])).toEqual([
      ['default', undefined],
      ['default', undefined],
    ]);
  });

  it('needs the logs.write scope and respects workspace keys', async () => {
    const repo = new MemoryRepo();
    const empty: OtlpExport = { resourceSpans: [] };
    await expect(ingestSpans(repo.repo, actor({ scopes: new Set(['logs.list']) }), { export: empty })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const wsKey = actor({ kind: 'workspace', workspaceId: 'team-a' });
    await expect(ingestSpans(repo.repo, wsKey, { workspaceId: 'team-b', export: empty })).rejects.toBeInstanceOf(DomainError);
    const { proto } = serialize(recordTree(tree));
    expect(await ingestSpans(repo.repo, wsKey, { export: decodeOtlpProtobuf(proto) })).toEqual({ accepted: 3, rejected: 0 });
    expect([...repo.byId.values()].every((r) => r.workspaceId === 'team-a')).toBe(true);
    expect(repo.inserts).toBe(1);
    expect(await ingestSpans(repo.repo, wsKey, { export: empty })).toEqual({ accepted: 0, rejected: 0 });
    expect(repo.inserts).toBe(1); // nothing to store, no round trip
  });
});

describe('JSON text spliced into bodies', () => {
  const parses = (t: string) => {
    try {
      JSON.parse(t);
      return true;
    } catch {
      return false;
    }
  };
  const samples = [
    '[{"role":"user","parts":[{"type":"text","content":"Hi \\"there\\" \\u00e9\\n"}]}]',
    ' { "a" : [ 1 , -2.5e+3 , 0.1 , true , false , null , {} , [] ] } ',
    '{"nested":{"deep":[[[{"x":"y"}]]]},"n":-0}',
    '[]',
    '{}',
    '[1,]',
    '{"a":1,}',
    "[{'role': 'user'}]",
    '[01]',
    '[1.]',
    '[.5]',
    '["\t"]',
    '["tab\tinside"]',
    '["bad \\x escape"]',
    '{"a" 1}',
    '[1 2]',
    '[true false]',
    '[nul]',
    '{"a":1}}',
    '[[]',
    '["\\u12G4"]',
    '[1e]',
    '[-]',
  ];

  it('accepts exactly what JSON.parse accepts, including every truncation of valid JSON', () => {
    const corpus = [...samples];
    for (const s of samples.slice(0, 3)) for (let cut = 0; cut < s.length; cut++) corpus.push(s.slice(0, cut));
    for (const t of corpus) expect(isJsonText(t), t).toBe(parses(t));
  });

  it('splices JSON arrays and objects verbatim and encodes anything else as a string', () => {
    expect(jsonValueText('[{"role":"user"}]')).toBe('[{"role":"user"}]');
    expect(jsonValueText('[{"role":"us')).toBe(JSON.stringify('[{"role":"us'));
    expect(jsonValueText("[{'role': 'user'}]")).toBe(JSON.stringify("[{'role': 'user'}]"));
    expect(jsonValueText('plain text')).toBe('"plain text"');
    expect(jsonValueText(['a', 1])).toBe('["a",1]');
    const long = JSON.stringify([{ content: 'x'.repeat(5000) }]);
    expect(jsonValueText(long)).toBe(long);
    expect(jsonValueText(long.slice(0, -1))).toBe(JSON.stringify(long.slice(0, -1)));
  });
});
