import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { chatLog, getLog, ingest, openAiChatRequest, openAiChatResponse, postLogs, type LogBody } from './fixtures.js';

function log(url: string, reqBody: unknown, resBody: unknown, extra: Partial<LogBody> = {}): LogBody {
  return {
    request: { url, method: 'POST', headers: { 'content-type': 'application/json' }, body: reqBody },
    response: { status: 200, headers: { 'content-type': 'application/json' }, body: resBody, response_time: 640 },
    ...extra,
  };
}

// `cents`: hand-checked against the published prices, where the shape has a pricing subtlety.
const SHAPES: { name: string; log: LogBody; expected: Record<string, unknown>; cents?: number }[] = [
  {
    name: 'OpenAI chat completions',
    log: chatLog(),
    expected: { ai_org: 'openai', ai_model: 'gpt-4o', req_units: 1000, res_units: 500, total_units: 1500 },
  },
  {
    name: 'OpenAI Responses API',
    log: log(
      'https://api.openai.com/v1/responses',
      { model: 'gpt-4.1-mini', input: 'Write a haiku about the tide.' },
      {
        id: 'resp_67ccd2bed1ec8190b14f964abc054267',
        object: 'response',
        created_at: 1741476542,
        status: 'completed',
        model: 'gpt-4.1-mini-2025-04-14',
        output: [
          {
            type: 'message',
            id: 'msg_67ccd2bf17f0',
            status: 'completed',
            role: 'assistant',
            content: [{ type: 'output_text', text: 'Moon pulls the water / ...', annotations: [] }],
          },
        ],
        usage: {
          input_tokens: 36,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: 87,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: 123,
        },
      },
    ),
    expected: { ai_org: 'openai', ai_model: 'gpt-4.1-mini', req_units: 36, res_units: 87, total_units: 123 },
  },
  {
    name: 'Anthropic messages (cache reads count as input)',
    log: log(
      'https://api.anthropic.com/v1/messages',
      {
        model: 'claude-3-5-sonnet-20241022',
        max_tokens: 1024,
        system: 'You review pull requests.',
        messages: [{ role: 'user', content: 'Review this diff: ...' }],
      },
      {
        id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
        type: 'message',
        role: 'assistant',
        model: 'claude-3-5-sonnet-20241022',
        content: [{ type: 'text', text: 'The change looks good; consider a test for the empty case.' }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 2095, output_tokens: 503, cache_creation_input_tokens: 0, cache_read_input_tokens: 1000 },
      },
    ),
    expected: { ai_org: 'anthropic', ai_model: 'claude-3-5-sonnet-20241022', req_units: 3095, res_units: 503, total_units: 3598 },
    // $3/M uncached input, $0.30/M cache reads, $15/M output: (2095*3 + 1000*0.3 + 503*15) / 1e6 USD.
    cents: 1.413,
  },
  {
    name: 'Google Gemini generateContent',
    log: log(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-1.5-flash:generateContent',
      { contents: [{ role: 'user', parts: [{ text: 'Name three moons of Jupiter.' }] }], generationConfig: { temperature: 0.2 } },
      {
        candidates: [{ content: { role: 'model', parts: [{ text: 'Io, Europa and Ganymede.' }] }, finishReason: 'STOP', index: 0 }],
        usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 48, totalTokenCount: 60 },
        modelVersion: 'gemini-1.5-flash',
      },
    ),
    expected: { ai_org: 'google', ai_model: 'gemini-1.5-flash', req_units: 12, res_units: 48, total_units: 60 },
  },
  {
    name: 'Cohere v2 chat (billed units)',
    log: log(
      'https://api.cohere.com/v2/chat',
      { model: 'command-r-plus-08-2024', messages: [{ role: 'user', content: 'Summarise the meeting notes.' }] },
      {
        id: 'c14c80c3-18eb-4519-9460-6c92edd8cfb4',
        finish_reason: 'COMPLETE',
        message: { role: 'assistant', content: [{ type: 'text', text: 'The team agreed to ship on Friday.' }] },
        usage: { billed_units: { input_tokens: 11, output_tokens: 244 }, tokens: { input_tokens: 203, output_tokens: 244 } },
      },
    ),
    expected: { ai_org: 'cohere', ai_model: 'command-r-plus-08-2024', req_units: 11, res_units: 244, total_units: 255 },
  },
  {
    name: 'Bedrock Converse (model from the URL)',
    log: log(
      'https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse',
      { messages: [{ role: 'user', content: [{ text: 'Translate "good morning" to Portuguese.' }] }], inferenceConfig: { maxTokens: 256 } },
      {
        output: { message: { role: 'assistant', content: [{ text: 'Bom dia.' }] } },
        stopReason: 'end_turn',
        usage: { inputTokens: 30, outputTokens: 120, totalTokens: 150 },
        metrics: { latencyMs: 950 },
      },
    ),
    expected: { ai_org: 'bedrock', ai_model: 'anthropic.claude-3-haiku-20240307-v1:0', req_units: 30, res_units: 120, total_units: 150 },
    // $0.25/M input, $1.25/M output.
    cents: 0.01575,
  },
  {
    name: 'OpenAI embeddings (no output tokens)',
    log: log(
      'https://api.openai.com/v1/embeddings',
      { model: 'text-embedding-3-small', input: ['refund policy', 'shipping times'] },
      {
        object: 'list',
        data: [
          { object: 'embedding', index: 0, embedding: [0.0023064255, -0.009327292, 0.015797347] },
          { object: 'embedding', index: 1, embedding: [-0.0028842222, 0.012117008, -0.0087312] },
        ],
        model: 'text-embedding-3-small',
        usage: { prompt_tokens: 16, total_tokens: 16 },
      },
    ),
    expected: { ai_org: 'openai', ai_model: 'text-embedding-3-small', req_units: 16, res_units: 0, total_units: 16 },
  },
];

describe('derived metrics', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  async function metricsOf(body: LogBody) {
    const [id] = await ingest(s, body);
    const got = await getLog(s, id!);
    expect(got.status).toBe(200);
    return got.body.metrics as Record<string, unknown>;
  }

  for (const shape of SHAPES) {
    it(`tokens, provider and model: ${shape.name}`, async () => {
      const m = await metricsOf(shape.log);
      expect(m).toMatchObject({ ...shape.expected, is_success: true, response_status_code: 200 });
      // Every shape here is a priced, well-known model: the cost is computed from the price table.
      expect(m.cost_source).toBe('computed');
      expect(m.cost_currency).toBe('USD');
      expect(m.cost).toBeGreaterThan(0);
      if (shape.cents !== undefined) expect(m.cost as number).toBeCloseTo(shape.cents, 9);
    });
  }

  it('all shapes in one batch derive the same figures as one by one', async () => {
    const ids = await ingest(
      s,
      SHAPES.map((x) => x.log),
    );
    for (const [i, id] of ids.entries()) {
      expect((await getLog(s, id)).body.metrics).toMatchObject(SHAPES[i]!.expected);
    }
  });

  describe('cost provenance', () => {
    it('a cost sent in metadata is kept as the client cost', async () => {
      const m = await metricsOf(chatLog({ metadata: { cost: '0.42' } }));
      expect(m).toMatchObject({ cost: 0.42, cost_source: 'client', cost_currency: 'USD' });
      const n = await metricsOf(chatLog({ metadata: { cost: 1.5, cost_currency: 'eur' } }));
      expect(n).toMatchObject({ cost: 1.5, cost_source: 'client', cost_currency: 'EUR' });
    });

    it('a known model without a client cost is priced: gpt-4o, 1000 in / 500 out = 0.75 cents', async () => {
      const m = await metricsOf(chatLog());
      expect(m.cost_source).toBe('computed');
      expect(m.cost_currency).toBe('USD');
      expect(m.cost as number).toBeCloseTo(0.75, 9);
    });

    it('cached prompt tokens are priced at the cache-read rate (gpt-4o: 600 * $2.50 + 400 * $1.25 + 500 * $10 per 1M = 0.70 cents)', async () => {
      const cached = chatLog();
      cached.response.body = openAiChatResponse('gpt-4o-2024-08-06', { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 });
      (cached.response.body as { usage: { prompt_tokens_details: { cached_tokens: number } } }).usage.prompt_tokens_details.cached_tokens = 400;
      const m = await metricsOf(cached);
      expect(m).toMatchObject({ req_units: 1000, cache_read_units: 400, cost_source: 'computed' });
      expect(m.cost as number).toBeCloseTo(0.7, 9);
    });

    it('an unknown model has tokens but no cost', async () => {
      const m = await metricsOf(
        log('https://llm.internal.acme.example/v1/chat/completions', openAiChatRequest('acme-support-llm-7b'), openAiChatResponse('acme-support-llm-7b')),
      );
      expect(m).toMatchObject({ ai_model: 'acme-support-llm-7b', req_units: 1000, res_units: 500 });
      expect(m.ai_org).toBeUndefined();
      expect(m.cost).toBeUndefined();
      expect(m.cost_source).toBeUndefined();
    });
  });

  it('unknown response shapes are stored as sent, without tokens', async () => {
    const bodies: unknown[] = ['upstream timeout after 30s', { foo: 1 }, [1, 2, 3], null];
    for (const body of bodies) {
      const res = await postLogs(s, log('https://api.openai.com/v1/chat/completions', openAiChatRequest(), body));
      expect(res.status).toBe(200);
      const got = await getLog(s, res.body.data.log_ids[0]);
      expect(got.body.response.body).toEqual(body);
      expect(got.body.metrics).toMatchObject({ ai_org: 'openai', ai_model: 'gpt-4o' });
      expect(got.body.metrics.req_units).toBeUndefined();
      expect(got.body.metrics.res_units).toBeUndefined();
      expect(got.body.metrics.total_units).toBeUndefined();
      expect(got.body.metrics.cost).toBeUndefined();
    }
  });

  it("the documentation's sample log: provider and model from metadata, span fields, no tokens", async () => {
    const sample = {
      request: {
        url: 'https://api.someprovider.com/model/generate',
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: { prompt: 'What is AI?' },
      },
      response: {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
        body: { response: 'AI stands for Artificial Intelligence...' },
        response_time: 123,
      },
      metadata: {
        organisation_id: 'org123',
        user_id: 'usr456',
        model: 'text-embedding-ada-002',
        provider: 'azure-openai',
        trace_id: 'trace123',
        span_id: 'span456',
        span_name: 'chat_completions',
      },
    };
    const m = await metricsOf(sample);
    expect(m).toMatchObject({
      ai_org: 'azure-openai',
      ai_model: 'text-embedding-ada-002',
      response_time: 123,
      is_success: true,
      trace_id: 'trace123',
      span_id: 'span456',
      span_name: 'chat_completions',
    });
    expect(m.req_units).toBeUndefined();
    expect(m.cost).toBeUndefined();
  });

  describe('provider', () => {
    const proxy = 'https://llm-gateway.corp.example/v1/chat/completions';

    it('from the URL host when not given', async () => {
      expect((await metricsOf(log('https://api.anthropic.com/v1/messages', {}, {}))).ai_org).toBe('anthropic');
      expect((await metricsOf(log('https://my-res.openai.azure.com/openai/deployments/gpt4o/chat/completions?api-version=2024-06-01', {}, {}))).ai_org).toBe(
        'azure-openai',
      );
      expect((await metricsOf(log(proxy, {}, {}))).ai_org).toBeUndefined();
    });

    it('from the URL host when the URL carries a port or user info', async () => {
      expect((await metricsOf(log('https://api.openai.com:443/v1/chat/completions', {}, {}))).ai_org).toBe('openai');
      expect((await metricsOf(log('https://svc-account:s3cret@api.openai.com/v1/chat/completions', {}, {}))).ai_org).toBe('openai');
    });

    it('from request.provider, which wins over metadata.provider and the URL', async () => {
      const l = log(proxy, openAiChatRequest('llama-3.1-8b-instant'), openAiChatResponse('llama-3.1-8b-instant'));
      l.request.provider = 'groq';
      expect((await metricsOf(l)).ai_org).toBe('groq');
      const both = log('https://api.openai.com/v1/chat/completions', {}, {}, { metadata: { provider: 'together-ai' } });
      both.request.provider = 'azure-openai';
      expect((await metricsOf(both)).ai_org).toBe('azure-openai');
    });

    it('from metadata.provider', async () => {
      expect((await metricsOf(log(proxy, {}, {}, { metadata: { provider: 'together-ai' } }))).ai_org).toBe('together-ai');
    });
  });

  it('status decides is_success; response time and metadata fields are copied', async () => {
    const failed = chatLog({ metadata: { prompt_slug: 'pp-welcome-email', config: 'pc-prod-routing', virtual_key: 'openai-prod-vk' } });
    failed.response = {
      status: 500,
      headers: {},
      body: { error: { message: 'The server had an error while processing your request.', type: 'server_error' } },
      response_time: 30012,
    };
    const m = await metricsOf(failed);
    expect(m).toMatchObject({
      is_success: false,
      response_status_code: 500,
      response_time: 30012,
      prompt_slug: 'pp-welcome-email',
      config: 'pc-prod-routing',
      virtual_key: 'openai-prod-vk',
    });
    const limited = chatLog();
    limited.response = { status: 429, body: { error: { message: 'Rate limit reached', type: 'requests' } } };
    expect(await metricsOf(limited)).toMatchObject({ is_success: false, response_status_code: 429 });
    const defaulted = chatLog();
    delete defaulted.response.status;
    expect(await metricsOf(defaulted)).toMatchObject({ is_success: true, response_status_code: 200 });
  });
});
