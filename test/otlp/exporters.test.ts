import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createKey } from '../helpers/http.js';
import { exportSpans, hexTraceId, recordSpans } from '../helpers/otel.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const trpcTrace = (s: TestServer, traceId: string, key: string) =>
  call(s.url, 'GET', `/trpc/traces.get?input=${encodeURIComponent(JSON.stringify({ traceId }))}`, { key });

const chatSpan = (name: string, extra: Record<string, string | number> = {}) => ({
  name,
  attributes: {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o',
    'gen_ai.response.model': 'gpt-4o-2024-08-06',
    'gen_ai.usage.input_tokens': 1000,
    'gen_ai.usage.output_tokens': 500,
    'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Hello?' }] }]),
    'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'Hi!' }], finish_reason: 'stop' }]),
    'user.id': 'u-7',
    'custom.team': 'search',
    ...extra,
  },
});

describe('OTLP/HTTP through the official exporters', () => {
  let s: TestServer;
  let key: string;
  beforeAll(async () => {
    s = await startTestServer();
    key = (await createKey(s.url, { workspace: 'otel-ws', scopes: ['logs.write', 'logs.view'] })).key;
  });
  afterAll(() => s.stop());

  for (const encoding of ['json', 'proto'] as const) {
    for (const gzip of [false, true]) {
      it(`${encoding}${gzip ? ' + gzip' : ''}: a three-level agent trace lands as one tree with GenAI fields`, async () => {
        const spans = recordSpans([
          {
            name: 'invoke_agent planner',
            kind: 1,
            attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'planner' },
            children: [
              {
                ...chatSpan('chat gpt-4o'),
                children: [{ name: 'execute_tool search', kind: 1, attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search' } }],
              },
            ],
          },
        ]);
        const result = await exportSpans(spans, { url: s.url, key, encoding, gzip });
        expect(result).toEqual({ ok: true, error: undefined });

        const res = await trpcTrace(s, hexTraceId(spans[0]!), key);
        expect(res.status).toBe(200);
        const t = res.body.result.data;
        expect(t.spans).toHaveLength(3);
        expect(t.roots).toHaveLength(1);
        const root = t.roots[0];
        expect(root.spanName).toBe('invoke_agent planner');
        const chat = root.children[0];
        expect(chat).toMatchObject({
          spanName: 'chat gpt-4o',
          model: 'gpt-4o-2024-08-06',
          provider: 'openai',
          requestTokens: 1000,
          responseTokens: 500,
          totalTokens: 1500,
          costSource: 'computed',
          isSuccess: true,
          source: 'otlp',
        });
        expect(chat.cost).toBeCloseTo(0.75, 5);
        expect(chat.children[0].spanName).toBe('execute_tool search');
        // Unmapped attributes are kept and visible; user ids land in metadata.
        expect(chat.metadata['user.id']).toBe('u-7');
        expect(JSON.stringify(chat.request.body)).toContain('Hello?');
        expect(JSON.stringify(chat.response.body)).toContain('Hi!');
      });
    }
  }

  it('also accepts Portkey’s documented path /v1/otel/v1/traces', async () => {
    const spans = recordSpans([chatSpan('chat via otel path')]);
    expect((await exportSpans(spans, { url: s.url, key, encoding: 'proto', path: '/v1/otel/v1/traces' })).ok).toBe(true);
    expect((await trpcTrace(s, hexTraceId(spans[0]!), key)).status).toBe(200);
  });

  it('legacy GenAI names map like current ones', async () => {
    const spans = recordSpans([
      {
        name: 'legacy chat',
        attributes: {
          'gen_ai.system': 'anthropic',
          'gen_ai.request.model': 'claude-3-5-sonnet-20241022',
          'gen_ai.usage.prompt_tokens': 200,
          'gen_ai.usage.completion_tokens': 100,
          'gen_ai.prompt.0.role': 'user',
          'gen_ai.prompt.0.content': 'legacy question',
          'gen_ai.completion.0.role': 'assistant',
          'gen_ai.completion.0.content': 'legacy answer',
        },
      },
      { name: 'openinference llm', attributes: { 'llm.model_name': 'gpt-4o-mini', 'llm.token_count.prompt': 10, 'llm.token_count.completion': 5 } },
    ]);
    expect((await exportSpans(spans, { url: s.url, key, encoding: 'json' })).ok).toBe(true);
    const legacy = (await trpcTrace(s, hexTraceId(spans[0]!), key)).body.result.data.spans[0];
    expect(legacy).toMatchObject({ provider: 'anthropic', model: 'claude-3-5-sonnet-20241022', requestTokens: 200, responseTokens: 100 });
    expect(JSON.stringify(legacy.request.body)).toContain('legacy question');
    expect(JSON.stringify(legacy.response.body)).toContain('legacy answer');
    const oi = (await trpcTrace(s, hexTraceId(spans[1]!), key)).body.result.data.spans[0];
    expect(oi).toMatchObject({ model: 'gpt-4o-mini', requestTokens: 10, responseTokens: 5 });
  });

  it('a client cost wins over the price table; an error span is not a success', async () => {
    const spans = recordSpans([{ ...chatSpan('priced', { 'gen_ai.usage.cost': 0.042 }), error: 'rate limited' }]);
    expect((await exportSpans(spans, { url: s.url, key, encoding: 'proto' })).ok).toBe(true);
    const span = (await trpcTrace(s, hexTraceId(spans[0]!), key)).body.result.data.spans[0];
    expect(span).toMatchObject({ costSource: 'client', isSuccess: false });
    expect(span.cost).toBeCloseTo(4.2, 6);
  });

  it('REST logs and OTLP spans with the same trace id form one tree', async () => {
    const spans = recordSpans([{ name: 'request handler', kind: 2 }]);
    const traceId = hexTraceId(spans[0]!);
    expect((await exportSpans(spans, { url: s.url, key, encoding: 'json' })).ok).toBe(true);
    const rest = await call(s.url, 'POST', '/v1/logs', {
      key,
      body: {
        request: { url: 'https://api.openai.com/v1/chat/completions', body: { model: 'gpt-4o' } },
        response: { body: { usage: { prompt_tokens: 3, completion_tokens: 4 } }, response_time: 50 },
        metadata: { trace_id: traceId, span_id: 'aaaaaaaaaaaaaaaa', parent_span_id: spans[0]!.spanContext().spanId, span_name: 'gateway call' },
      },
    });
    expect(rest.status).toBe(200);
    const t = (await trpcTrace(s, traceId, key)).body.result.data;
    expect(t.roots).toHaveLength(1);
    expect(t.roots[0].children.map((c: { spanName: string }) => c.spanName)).toEqual(['gateway call']);
  });

  it('a retried export is stored once', async () => {
    const spans = recordSpans([chatSpan('retry me')]);
    await exportSpans(spans, { url: s.url, key, encoding: 'proto' });
    await exportSpans(spans, { url: s.url, key, encoding: 'json' });
    const t = (await trpcTrace(s, hexTraceId(spans[0]!), key)).body.result.data;
    expect(t.spans).toHaveLength(1);
  });

  it('workspace isolation: another workspace cannot see the trace', async () => {
    const other = (await createKey(s.url, { workspace: 'otel-other', scopes: ['logs.write', 'logs.view'] })).key;
    const spans = recordSpans([chatSpan('private')]);
    await exportSpans(spans, { url: s.url, key, encoding: 'proto' });
    const res = await trpcTrace(s, hexTraceId(spans[0]!), other);
    expect(res.status).toBe(404);
  });
});
