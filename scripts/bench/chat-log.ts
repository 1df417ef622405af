import { randomBytes, randomUUID } from 'node:crypto';

const WORDS =
  'the model returns a concise answer about latency cost tokens routing fallback cache retries streaming vector search embeddings prompt template evaluation guardrail budget region provider gateway'.split(
    ' ',
  );

function sentence(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += `${WORDS[(Math.random() * WORDS.length) | 0]} `;
  return s.trim();
}

/** A realistic OpenAI chat completion log of about 2 KB as JSON, the shape gateways send to POST /v1/logs. */
export function chatLog(i: number) {
  const prompt = 30 + ((Math.random() * 40) | 0);
  const completion = 20 + ((Math.random() * 60) | 0);
  return {
    request: {
      url: 'https://api.openai.com/v1/chat/completions',
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': randomUUID() },
      body: {
        model: 'gpt-4o-mini',
        temperature: 0.2,
        max_tokens: 512,
        messages: [
          { role: 'system', content: 'You are a helpful assistant for an internal analytics team. Answer briefly.' },
          { role: 'user', content: sentence(45) },
        ],
      },
    },
    response: {
      status: 200,
      headers: { 'content-type': 'application/json', 'openai-processing-ms': String(200 + (i % 700)) },
      body: {
        id: `chatcmpl-${randomBytes(12).toString('hex')}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: 'gpt-4o-mini-2024-07-18',
        choices: [{ index: 0, message: { role: 'assistant', content: sentence(70) }, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
        system_fingerprint: 'fp_0ba0d124f1',
      },
      response_time: 200 + (i % 900),
    },
    metadata: {
      trace_id: randomUUID(),
      span_id: randomBytes(8).toString('hex'),
      span_name: 'chat',
      'user.id': `user-${i % 1000}`,
      environment: 'production',
      team: 'analytics',
    },
  };
}
