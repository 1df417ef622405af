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

const tie: Spec = { at: 60, model: 'gpt-4o-mini', provider: 'openai', status: 200, cost: 0.1, usage: [100, 50], meta: { env: 'prod', batch: 'tie' } };
/**
 * The ten-log scenario the filter, GraphQL and tRPC suites share: minutes 0-70, four providers, failures (429, 500,
 * 400), two traces (tr-1: a and b, tr-2: c), prompts, configs and virtual keys; g, h and i share one created_at so
 * the id tie-break is exercised (and a page boundary can fall inside it).
 */
export const TEN_LOGS: Readonly<Record<string, Spec>> = {
  a: {
    at: 0,
    model: 'gpt-4o',
    provider: 'openai',
    status: 200,
    cost: 0.75,
    usage: [1000, 500],
    meta: { env: 'prod', team: 'search', trace_id: 'tr-1', span_id: 'sp-1', prompt_slug: 'greet', config: 'cfg-1', virtual_key: 'vk-openai' },
  },
  b: {
    at: 10,
    model: 'gpt-4o-mini',
    provider: 'openai',
    status: 200,
    cost: 0.05,
    usage: [200, 100],
    meta: { env: 'prod', team: 'ads', trace_id: 'tr-1', span_id: 'sp-2' },
  },
  c: {
    at: 20,
    model: 'claude-3-5-sonnet',
    provider: 'anthropic',
    status: 200,
    cost: 2.5,
    usage: [3000, 1000],
    meta: { env: 'dev', team: 'search', trace_id: 'tr-2', prompt_slug: 'summarise', config: 'cfg-2', virtual_key: 'vk-anthropic' },
  },
  d: { at: 30, model: 'gpt-4o', provider: 'openai', status: 429, cost: 0, meta: { env: 'prod', team: 'search', virtual_key: 'vk-openai' } },
  e: { at: 40, model: 'claude-3-haiku', provider: 'anthropic', status: 500, cost: 0, meta: { env: 'staging' } },
  f: {
    at: 50,
    model: 'gpt-4o',
    provider: 'azure-openai',
    status: 200,
    cost: 1,
    usage: [500, 500],
    meta: { env: 'dev', prompt_slug: 'greet', config: 'cfg-1' },
  },
  g: tie,
  h: tie,
  i: tie,
  j: { at: 70, model: 'mistral-large', provider: 'mistral-ai', status: 400, cost: 0, meta: { env: 'prod', 'user.id': 'u-7' } },
};
