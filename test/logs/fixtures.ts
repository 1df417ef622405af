import { call, type JsonResponse } from '../helpers/http.js';
import type { TestServer } from '../helpers/server.js';
import { countStoredLogs } from '../helpers/stored-logs.js';

/** Realistic request/response pairs for the log tests. Every call returns fresh objects. */

export function openAiChatRequest(model = 'gpt-4o') {
  return {
    model,
    messages: [
      { role: 'system', content: 'You are a concise assistant for a travel agency.' },
      { role: 'user', content: 'Suggest two day trips from Lisbon, one line each.' },
    ],
    temperature: 0.3,
    max_tokens: 200,
  };
}

export function openAiChatResponse(model = 'gpt-4o-2024-08-06', usage = { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 }) {
  return {
    id: 'chatcmpl-AbC123xyz',
    object: 'chat.completion',
    created: 1735689600,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: 'Sintra: palaces and forest walks.\nCascais: beaches and a seaside promenade.', refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: { ...usage, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } },
    system_fingerprint: 'fp_50cad350e4',
  };
}

export interface LogBody {
  id?: string;
  created_at?: string;
  request: { url: string; provider?: string; method?: string; headers?: Record<string, string>; body: unknown };
  response: { status?: number; headers?: Record<string, string>; body: unknown; response_time?: number };
  metadata?: Record<string, string | number | boolean | null>;
}

/** An OpenAI chat completion log; `extra` is merged at the top level (id, created_at, metadata...). */
export function chatLog(extra: Partial<LogBody> = {}): LogBody {
  return {
    request: {
      url: 'https://api.openai.com/v1/chat/completions',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: openAiChatRequest(),
    },
    response: {
      status: 200,
      headers: { 'content-type': 'application/json', 'x-request-id': 'req_7f3a' },
      body: openAiChatResponse(),
      response_time: 842,
    },
    metadata: { _user: 'user-1842', environment: 'staging' },
    ...extra,
  };
}

export function postLogs(s: TestServer, body: unknown, opts: { key?: string | null; query?: string } = {}): Promise<JsonResponse> {
  return call(s.url, 'POST', `/v1/logs${opts.query ?? ''}`, { key: opts.key, body });
}

export function getLog(s: TestServer, id: string, opts: { key?: string | null; query?: string } = {}): Promise<JsonResponse> {
  return call(s.url, 'GET', `/v1/logs/${encodeURIComponent(id)}${opts.query ?? ''}`, { key: opts.key });
}

/** GET a tRPC query the way a plain HTTP client would. */
export function trpcQuery(s: TestServer, path: string, input: unknown, key?: string | null): Promise<JsonResponse> {
  return call(s.url, 'GET', `/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, { key });
}

/** Direct read of the logs collection, for verifying what was (not) stored. */
export function countLogs(s: TestServer, filter: Record<string, unknown> = {}): Promise<number> {
  return countStoredLogs(s.app.database.db, filter);
}

/** Ingests logs (root key unless told otherwise) and returns their ids; fails loudly otherwise. */
export async function ingest(s: TestServer, body: unknown, opts: { key?: string | null; query?: string } = {}): Promise<string[]> {
  const res = await postLogs(s, body, opts);
  if (res.status !== 200) throw new Error(`ingest failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.log_ids as string[];
}
