import { chatLog, openAiChatRequest, openAiChatResponse } from '../logs/fixtures.js';

/**
 * The scenario several suites share: a handful of chat logs described in one line each (minute offset,
 * model, provider, status, client cost, token usage, metadata), built into Portkey log bodies.
 */
export interface Spec {
  at: number;
  model: string;
  provider: string;
  status: number;
  cost: number;
  usage?: [number, number];
  meta?: Record<string, string>;
}

/** ISO time `minutes` after t0. */
export const minutesAfter = (t0: number) => (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();

/** The log body a Spec describes; failed calls (no usage) carry a provider error body. */
export function specLog(s: Spec, at: (minutes: number) => string) {
  const [prompt, completion] = s.usage ?? [0, 0];
  const body = s.usage
    ? openAiChatResponse(s.model, { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion })
    : { error: { message: 'upstream refused', type: 'api_error' } };
  return chatLog({
    created_at: at(s.at),
    request: { url: 'https://api.openai.com/v1/chat/completions', provider: s.provider, method: 'POST', body: openAiChatRequest(s.model) },
    response: { status: s.status, body, response_time: 500 },
    metadata: { ...s.meta, cost: s.cost },
  });
}
