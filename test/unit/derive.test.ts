import { describe, it, expect } from 'vitest';
import { calcPrice } from '@pydantic/genai-prices';
import { deriveFields, extractUsage, providerFromUrl, type RawLogForDerivation } from '../../src/domain/logs/derive.js';
import { computeCostCents } from '../../src/domain/logs/pricing.js';

function log(
  url: string,
  reqBody: unknown,
  resBody: unknown,
  extra: { provider?: string; metadata?: Record<string, string>; status?: number } = {},
): RawLogForDerivation {
  return {
    request: { url, provider: extra.provider, body: reqBody },
    response: { status: extra.status ?? 200, body: resBody, response_time: 812 },
    metadata: extra.metadata ?? {},
  };
}

/** Library oracle in cents, for shapes whose exact price we do not hard-code. */
function libCents(model: string, providerId: string, u: Record<string, number>): number {
  const r = calcPrice(u, model, { providerId });
  if (!r) throw new Error(`no price for ${providerId}/${model}`);
  return r.total_price * 100;
}

describe('computeCostCents', () => {
  it('converts the published gpt-4o price ($2.50 in / $10.00 out per 1M tokens) to cents', () => {
    // 1000 * 2.5/1e6 + 500 * 10/1e6 = $0.0075 = 0.75 cents
    const c = computeCostCents({ provider: 'openai', model: 'gpt-4o', inputTokens: 1000, outputTokens: 500 });
    expect(c).toEqual({ cents: 0.75, currency: 'USD' });
  });

  it('bills cached input at the cache-read rate ($1.25 per 1M for gpt-4o)', () => {
    // 86 uncached * 2.5 + 1920 cached * 1.25 + 300 out * 10 = 5615 micro-dollars
    const c = computeCostCents({ provider: 'openai', model: 'gpt-4o', inputTokens: 2006, cacheReadTokens: 1920, outputTokens: 300 });
    expect(c?.cents).toBeCloseTo(0.5615, 10);
  });

  it('maps provider aliases and falls back to the model when the provider is unknown', () => {
    expect(computeCostCents({ provider: 'azure-openai', model: 'gpt-4o', inputTokens: 1000, outputTokens: 500 })?.cents).toBeCloseTo(
      libCents('gpt-4o', 'azure', { input_tokens: 1000, output_tokens: 500 }),
      10,
    );
    expect(computeCostCents({ provider: 'some-gateway', model: 'gpt-4o', inputTokens: 1000, outputTokens: 500 })?.cents).toBeCloseTo(0.75, 10);
    expect(computeCostCents({ provider: 'openai', model: 'not-a-real-model', inputTokens: 1, outputTokens: 1 })).toBeUndefined();
    expect(computeCostCents({ provider: 'openai', model: 'gpt-4o' })).toBeUndefined();
    expect(computeCostCents({ provider: 'openai', model: 'gpt-4o', inputTokens: -1, outputTokens: 5 })).toBeUndefined();
  });

  it('honours the timestamp for models whose price changed over time', () => {
    for (const ts of ['2025-05-01T00:00:00Z', '2025-07-01T00:00:00Z']) {
      const timestamp = new Date(ts);
      const lib = calcPrice({ input_tokens: 1000, output_tokens: 1000 }, 'o3', { providerId: 'openai', timestamp });
      const c = computeCostCents({ provider: 'openai', model: 'o3', inputTokens: 1000, outputTokens: 1000, timestamp });
      expect(c?.cents).toBeCloseTo((lib?.total_price ?? NaN) * 100, 10);
    }
  });
});

describe('deriveFields: response shapes', () => {
  it('OpenAI chat completions', () => {
    const d = deriveFields(
      log(
        'https://api.openai.com/v1/chat/completions',
        { model: 'gpt-4o', messages: [{ role: 'user', content: 'Summarise this contract.' }], temperature: 0.2 },
        {
          id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
          object: 'chat.completion',
          created: 1741569952,
          model: 'gpt-4o-2024-08-06',
          choices: [
            { index: 0, message: { role: 'assistant', content: 'The contract...', refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' },
          ],
          usage: {
            prompt_tokens: 2006,
            completion_tokens: 300,
            total_tokens: 2306,
            prompt_tokens_details: { cached_tokens: 1920, audio_tokens: 0 },
            completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
          },
          service_tier: 'default',
          system_fingerprint: 'fp_fc9f1d7035',
        },
      ),
    );
    expect(d).toMatchObject({
      provider: 'openai',
      model: 'gpt-4o',
      requestTokens: 2006,
      responseTokens: 300,
      totalTokens: 2306,
      cacheReadTokens: 1920,
      reasoningTokens: 0,
      costSource: 'computed',
      costCurrency: 'USD',
      statusCode: 200,
      isSuccess: true,
      responseTimeMs: 812,
    });
    expect(d.cost).toBeCloseTo(0.5615, 10);
  });

  it('OpenAI Responses API', () => {
    const d = deriveFields(
      log(
        'https://api.openai.com/v1/responses',
        { model: 'o4-mini-2025-04-16', input: 'Prove that sqrt(2) is irrational.', reasoning: { effort: 'medium' } },
        {
          id: 'resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b',
          object: 'response',
          created_at: 1741476542,
          status: 'completed',
          model: 'o4-mini-2025-04-16',
          output: [
            { type: 'reasoning', id: 'rs_67ccd2bf17f0819081ff3bb2cf6508e6', summary: [] },
            {
              type: 'message',
              id: 'msg_67ccd2bf17f0819081ff3bb2cf6508e7',
              status: 'completed',
              role: 'assistant',
              content: [{ type: 'output_text', text: 'Suppose...', annotations: [] }],
            },
          ],
          usage: {
            input_tokens: 328,
            input_tokens_details: { cached_tokens: 128 },
            output_tokens: 1152,
            output_tokens_details: { reasoning_tokens: 896 },
            total_tokens: 1480,
          },
        },
      ),
    );
    expect(d).toMatchObject({
      provider: 'openai',
      model: 'o4-mini-2025-04-16',
      requestTokens: 328,
      responseTokens: 1152,
      totalTokens: 1480,
      cacheReadTokens: 128,
      reasoningTokens: 896,
      costSource: 'computed',
    });
    expect(d.cost).toBeCloseTo(libCents('o4-mini-2025-04-16', 'openai', { input_tokens: 328, cache_read_tokens: 128, output_tokens: 1152 }), 10);
  });

  it('Anthropic messages with prompt caching (input_tokens excludes cache)', () => {
    const d = deriveFields(
      log(
        'https://api.anthropic.com/v1/messages',
        {
          model: 'claude-3-5-sonnet-20241022',
          max_tokens: 1024,
          system: [{ type: 'text', text: '...', cache_control: { type: 'ephemeral' } }],
          messages: [{ role: 'user', content: 'Hi' }],
        },
        {
          id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
          type: 'message',
          role: 'assistant',
          model: 'claude-3-5-sonnet-20241022',
          content: [{ type: 'text', text: 'Hello! How can I help?' }],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage: { input_tokens: 12, cache_creation_input_tokens: 1500, cache_read_input_tokens: 3000, output_tokens: 250, service_tier: 'standard' },
        },
        { provider: 'anthropic' },
      ),
    );
    expect(d).toMatchObject({
      provider: 'anthropic',
      model: 'claude-3-5-sonnet-20241022',
      requestTokens: 4512,
      responseTokens: 250,
      totalTokens: 4762,
      cacheReadTokens: 3000,
      cacheWriteTokens: 1500,
      costSource: 'computed',
    });
    expect(d.cost).toBeCloseTo(
      libCents('claude-3-5-sonnet-20241022', 'anthropic', { input_tokens: 4512, cache_read_tokens: 3000, cache_write_tokens: 1500, output_tokens: 250 }),
      10,
    );
  });

  it('Google Gemini (model from modelVersion, thoughts billed as output)', () => {
    const d = deriveFields(
      log(
        'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent',
        { contents: [{ role: 'user', parts: [{ text: 'Explain quicksort.' }] }], generationConfig: { thinkingConfig: { thinkingBudget: 1024 } } },
        {
          candidates: [{ content: { parts: [{ text: 'Quicksort picks a pivot...' }], role: 'model' }, finishReason: 'STOP', index: 0 }],
          usageMetadata: {
            promptTokenCount: 1200,
            candidatesTokenCount: 350,
            totalTokenCount: 2050,
            cachedContentTokenCount: 1024,
            promptTokensDetails: [{ modality: 'TEXT', tokenCount: 1200 }],
            thoughtsTokenCount: 500,
          },
          modelVersion: 'gemini-2.5-flash',
          responseId: 'mAitaLmkHPPlz7IPvtfUqQ4',
        },
      ),
    );
    expect(d).toMatchObject({
      provider: 'google',
      model: 'gemini-2.5-flash',
      requestTokens: 1200,
      responseTokens: 850,
      totalTokens: 2050,
      cacheReadTokens: 1024,
      reasoningTokens: 500,
      costSource: 'computed',
    });
    expect(d.cost).toBeCloseTo(libCents('gemini-2.5-flash', 'google', { input_tokens: 1200, cache_read_tokens: 1024, output_tokens: 850 }), 10);
  });

  it('Vertex AI host maps to vertex-ai and still prices via Google', () => {
    const d = deriveFields(
      log(
        'https://us-central1-aiplatform.googleapis.com/v1/projects/acme/locations/us-central1/publishers/google/models/gemini-2.0-flash-001:generateContent',
        { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] },
        {
          candidates: [{ content: { parts: [{ text: 'Hello' }], role: 'model' }, finishReason: 'STOP' }],
          usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
        },
      ),
    );
    expect(d).toMatchObject({
      provider: 'vertex-ai',
      model: 'gemini-2.0-flash-001',
      requestTokens: 10,
      responseTokens: 5,
      totalTokens: 15,
      costSource: 'computed',
    });
  });

  it('Cohere v1 chat (billed_units preferred over tokens)', () => {
    const d = deriveFields(
      log(
        'https://api.cohere.com/v1/chat',
        { model: 'command-r-plus', message: 'Write a haiku about logs.' },
        {
          response_id: 'd7d4a3c5-3cd0-4a8e-8c52-8a6f2c1a9b77',
          text: 'Lines of quiet text...',
          generation_id: '8f2b3f0e-0a53-4d49-9b7e-2a3b1c9e7f01',
          chat_history: [],
          finish_reason: 'COMPLETE',
          meta: { api_version: { version: '1' }, billed_units: { input_tokens: 54, output_tokens: 17 }, tokens: { input_tokens: 120, output_tokens: 17 } },
        },
      ),
    );
    expect(d).toMatchObject({ provider: 'cohere', model: 'command-r-plus', requestTokens: 54, responseTokens: 17, totalTokens: 71, costSource: 'computed' });
  });

  it('Cohere v2 chat', () => {
    const d = deriveFields(
      log(
        'https://api.cohere.com/v2/chat',
        { model: 'command-a-03-2025', messages: [{ role: 'user', content: 'Hello' }] },
        {
          id: 'c14c80c3-18eb-4519-9460-6c92edd8cfb4',
          finish_reason: 'COMPLETE',
          message: { role: 'assistant', content: [{ type: 'text', text: 'Hi there!' }] },
          usage: { billed_units: { input_tokens: 5, output_tokens: 418 }, tokens: { input_tokens: 71, output_tokens: 418 } },
        },
      ),
    );
    expect(d).toMatchObject({
      provider: 'cohere',
      model: 'command-a-03-2025',
      requestTokens: 5,
      responseTokens: 418,
      totalTokens: 423,
      costSource: 'computed',
    });
  });

  it('Bedrock Converse (model from URL, inputTokens excludes cache)', () => {
    const d = deriveFields(
      log(
        'https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse',
        { messages: [{ role: 'user', content: [{ text: 'Hi' }] }], inferenceConfig: { maxTokens: 512 } },
        {
          output: { message: { role: 'assistant', content: [{ text: 'Hello!' }] } },
          stopReason: 'end_turn',
          usage: { inputTokens: 30, outputTokens: 628, totalTokens: 1758, cacheReadInputTokens: 1100, cacheWriteInputTokens: 0 },
          metrics: { latencyMs: 1275 },
        },
      ),
    );
    expect(d).toMatchObject({
      provider: 'bedrock',
      model: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
      requestTokens: 1130,
      responseTokens: 628,
      totalTokens: 1758,
      cacheReadTokens: 1100,
      cacheWriteTokens: 0,
      costSource: 'computed',
    });
    expect(d.cost).toBeCloseTo(
      libCents('anthropic.claude-3-5-sonnet-20240620-v1:0', 'aws', { input_tokens: 1130, cache_read_tokens: 1100, output_tokens: 628 }),
      10,
    );
  });

  it('Bedrock InvokeModel with an Anthropic body', () => {
    const d = deriveFields(
      log(
        'https://bedrock-runtime.us-west-2.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1:0/invoke',
        { anthropic_version: 'bedrock-2023-05-31', max_tokens: 512, messages: [{ role: 'user', content: 'Hi' }] },
        {
          id: 'msg_bdrk_01Lq3W',
          type: 'message',
          role: 'assistant',
          content: [{ type: 'text', text: 'Hello!' }],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage: { input_tokens: 14, output_tokens: 9 },
        },
        { provider: 'bedrock' },
      ),
    );
    expect(d).toMatchObject({
      provider: 'bedrock',
      model: 'anthropic.claude-3-haiku-20240307-v1:0',
      requestTokens: 14,
      responseTokens: 9,
      totalTokens: 23,
      costSource: 'computed',
    });
  });

  it('Bedrock InvokeModel with Amazon Titan', () => {
    const d = deriveFields(
      log(
        'https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.titan-text-express-v1/invoke',
        { inputText: 'Tell me about logs.', textGenerationConfig: { maxTokenCount: 512, temperature: 0 } },
        { inputTextTokenCount: 12, results: [{ tokenCount: 85, outputText: 'Logs are...', completionReason: 'FINISH' }] },
      ),
    );
    expect(d).toMatchObject({
      provider: 'bedrock',
      model: 'amazon.titan-text-express-v1',
      requestTokens: 12,
      responseTokens: 85,
      totalTokens: 97,
      costSource: 'computed',
    });
  });

  it('OpenAI embeddings (no completion tokens -> responseTokens 0)', () => {
    const d = deriveFields(
      log(
        'https://api.openai.com/v1/embeddings',
        { model: 'text-embedding-3-small', input: 'The food was delicious.' },
        {
          object: 'list',
          data: [{ object: 'embedding', index: 0, embedding: [0.0023064255, -0.009327292] }],
          model: 'text-embedding-3-small',
          usage: { prompt_tokens: 8, total_tokens: 8 },
        },
      ),
    );
    expect(d).toMatchObject({
      provider: 'openai',
      model: 'text-embedding-3-small',
      requestTokens: 8,
      responseTokens: 0,
      totalTokens: 8,
      costSource: 'computed',
    });
    expect(d.cost).toBeCloseTo(libCents('text-embedding-3-small', 'openai', { input_tokens: 8, output_tokens: 0 }), 12);
  });

  it('Azure OpenAI (deployment URL, model only in the response)', () => {
    const d = deriveFields(
      log(
        'https://acme-prod.openai.azure.com/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21',
        { messages: [{ role: 'user', content: 'Hi' }] },
        {
          id: 'chatcmpl-AzX1',
          object: 'chat.completion',
          model: 'gpt-4o-2024-08-06',
          choices: [],
          usage: { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 },
        },
      ),
    );
    expect(d).toMatchObject({ provider: 'azure-openai', model: 'gpt-4o-2024-08-06', requestTokens: 1000, costSource: 'computed' });
  });
});

describe('deriveFields: cost provenance, metadata and robustness', () => {
  it('prefers a client-supplied cost in cents', () => {
    const d = deriveFields(
      log(
        'https://api.openai.com/v1/chat/completions',
        { model: 'gpt-4o' },
        { model: 'gpt-4o', usage: { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 } },
        {
          metadata: { portkey_cost: '0.42' },
        },
      ),
    );
    expect(d).toMatchObject({ cost: 0.42, costCurrency: 'USD', costSource: 'client' });
  });

  it('reads the documented metadata keys', () => {
    const d = deriveFields(
      log(
        'https://example.internal/v1/chat',
        {},
        {},
        {
          status: 503,
          metadata: {
            provider: 'Groq',
            model: 'llama-3.3-70b-versatile',
            promptSlug: 'support-triage',
            prompt_version_id: 'pv_12',
            config_id: 'cfg_9',
            virtual_key: 'vk-prod',
            cache_status: 'MISS',
            cache_type: 'simple',
            stream_mode: 'true',
            mode: 'single',
            runtime: 'node',
            runtime_version: '20.19.0',
            sdk_version: '1.9.2',
            retry_success_count: '2',
          },
        },
      ),
    );
    expect(d).toEqual({
      provider: 'groq',
      model: 'llama-3.3-70b-versatile',
      statusCode: 503,
      isSuccess: false,
      responseTimeMs: 812,
      promptSlug: 'support-triage',
      promptVersionId: 'pv_12',
      configId: 'cfg_9',
      virtualKey: 'vk-prod',
      cacheStatus: 'MISS',
      cacheType: 'simple',
      streamMode: true,
      mode: 'single',
      runtime: 'node',
      runtimeVersion: '20.19.0',
      sdkVersion: '1.9.2',
      retrySuccessCount: 2,
    });
  });

  it('never throws on unknown or malformed bodies and derives no tokens', () => {
    const odd: unknown[] = [
      'plain text',
      [1, 2, 3],
      null,
      undefined,
      42,
      { usage: 'weird' },
      { usage: { prompt_tokens: -5, completion_tokens: Number.NaN } },
      { usageMetadata: [] },
      { meta: { billed_units: null } },
    ];
    for (const body of odd) {
      const d = deriveFields(log('not a url', body, body));
      expect(d.requestTokens).toBeUndefined();
      expect(d.responseTokens).toBeUndefined();
      expect(d.totalTokens).toBeUndefined();
      expect(d.cost).toBeUndefined();
      expect(extractUsage(body)).toEqual({});
    }
    const broken = { request: null, response: { status: 'x' }, metadata: null } as unknown as RawLogForDerivation;
    expect(deriveFields(broken)).toEqual({ statusCode: 0, isSuccess: false });
  });

  it('resolves metadata aliases by documented precedence regardless of key order', () => {
    const d = deriveFields(
      log(
        'https://api.openai.com/v1/x',
        {},
        {},
        { metadata: { configId: 'c3', config_id: 'c2', config: 'c1', promptSlug: 's2', prompt_slug: 's1', portkey_cost: '9', cost: '1.5' } },
      ),
    );
    expect(d).toMatchObject({ configId: 'c1', promptSlug: 's1', cost: 1.5, costSource: 'client' });
  });

  it('accepts numeric strings and fills in the missing total', () => {
    expect(extractUsage({ usage: { prompt_tokens: '100', completion_tokens: '20' } })).toEqual({ requestTokens: 100, responseTokens: 20, totalTokens: 120 });
  });
});

describe('providerFromUrl', () => {
  const cases: Array<[string, string | undefined]> = [
    ['https://api.openai.com/v1/chat/completions', 'openai'],
    ['https://acme.openai.azure.com/openai/deployments/x', 'azure-openai'],
    ['https://api.anthropic.com/v1/messages', 'anthropic'],
    ['https://generativelanguage.googleapis.com/v1beta/models/x', 'google'],
    ['https://europe-west4-aiplatform.googleapis.com/v1/projects/p', 'vertex-ai'],
    ['https://bedrock-runtime.eu-central-1.amazonaws.com/model/x/converse', 'bedrock'],
    ['https://api.cohere.ai/v1/chat', 'cohere'],
    ['https://api.mistral.ai/v1/chat/completions', 'mistral-ai'],
    ['https://api.groq.com/openai/v1/chat/completions', 'groq'],
    ['https://api.together.xyz/v1/chat/completions', 'together-ai'],
    ['https://api.deepseek.com/chat/completions', 'deepseek'],
    ['https://openrouter.ai/api/v1/chat/completions', 'openrouter'],
    ['https://api.x.ai/v1/chat/completions', 'x-ai'],
    ['https://API.FIREWORKS.AI:443/inference/v1/chat/completions', 'fireworks-ai'],
    ['http://localhost:11434/api/chat', undefined],
    ['', undefined],
  ];
  it.each(cases)('%s -> %s', (url, expected) => {
    expect(providerFromUrl(url)).toBe(expected);
  });
});
