import type { GenAiScan, ResolvedUsage } from './genai-attributes.js';
import { isBlank, jsonValueText } from './json-text.js';
import type { AttributeValue, Attributes, OtlpEvent } from './otlp-model.js';

type Obj = Record<string, unknown>;

/** Highest message or part index accepted from flattened attributes: bigger ones would be sparse-array bombs. */
const MAX_INDEX = 10_000;

function isIndex(s: string | undefined): boolean {
  if (s === undefined || s === '' || s.length > 5) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return Number(s) <= MAX_INDEX;
}

/**
 * Messages flattened into attributes, the legacy `gen_ai.prompt.N.role` / `gen_ai.completion.N.content`
 * style (and OpenInference's `llm.input_messages.N.message.role`), rebuilt into objects. Nested paths such
 * as `tool_calls.0.function.name` become nested objects and arrays.
 */
export class IndexedMessages {
  private readonly byIndex = new Map<number, Obj>();

  add(key: string, prefixLength: number, value: AttributeValue, stripMessage: boolean): void {
    const dot = key.indexOf('.', prefixLength);
    if (dot < 0) return;
    const index = key.slice(prefixLength, dot);
    if (!isIndex(index)) return;
    let path = key.slice(dot + 1);
    if (stripMessage && path.startsWith('message.')) path = path.slice(8);
    if (path === '') return;
    let msg = this.byIndex.get(Number(index));
    if (msg === undefined) this.byIndex.set(Number(index), (msg = {}));
    setPath(msg, path.split('.'), value);
  }

  toArray(): Obj[] {
    return [...this.byIndex.keys()].sort((a, b) => a - b).map((i) => this.byIndex.get(i)!);
  }
}

function setPath(target: Obj, segs: string[], value: AttributeValue): void {
  let o = target as Record<string, unknown>;
  const last = segs.length - 1;
  for (let i = 0; i < last; i++) {
    const s = segs[i]!;
    // Arrays only take sane indices; anything else stays in the raw attributes alone.
    if (s === '__proto__' || (Array.isArray(o) && !isIndex(s))) return;
    let next = Object.hasOwn(o, s) ? o[s] : undefined;
    if (typeof next !== 'object' || next === null) {
      next = isIndex(segs[i + 1]) ? [] : {};
      o[s] = next;
    }
    o = next as Record<string, unknown>;
  }
  const key = segs[last]!;
  if (key === '__proto__' || (Array.isArray(o) && !isIndex(key))) return;
  o[key] = value;
}

/** Structured GenAI values travel as JSON strings (attributes cannot nest): parse those, keep anything else. */
export function jsonish(v: AttributeValue | undefined): unknown {
  if (typeof v !== 'string') return v;
  let i = 0;
  while (i < v.length && v.charCodeAt(i) <= 32) i++;
  const c = v.charCodeAt(i);
  if (c !== 91 /* [ */ && c !== 123 /* { */) return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

const ROLE_EVENTS: Readonly<Record<string, string>> = {
  'gen_ai.system.message': 'system',
  'gen_ai.user.message': 'user',
  'gen_ai.assistant.message': 'assistant',
  'gen_ai.tool.message': 'tool',
};

function messageFromEvent(attrs: Attributes, role: string | undefined): Obj {
  const msg: Obj = {};
  if (role !== undefined) msg.role = role;
  for (const k in attrs) {
    // The legacy events repeat the provider on every message; it says nothing about the message.
    if (k === 'gen_ai.system' || k === '__proto__') continue;
    const v = attrs[k]!;
    msg[k] = k === 'message' || k === 'tool_calls' ? jsonish(v) : v;
  }
  return msg;
}

function pushAll(into: unknown[], v: unknown, role: string): void {
  if (Array.isArray(v)) for (const m of v) into.push(m);
  else if (v !== undefined && v !== null && v !== '') into.push({ role, content: v });
}

/** Input and output messages carried by span events (the event-based GenAI conventions, old and new). */
export class EventMessages {
  input: unknown[] | undefined = undefined;
  output: unknown[] | undefined = undefined;
  /** The `exception` event, kept for the error part of the response body. */
  exception: Attributes | undefined = undefined;

  /** Returns true when the event was a GenAI message event. */
  add(e: OtlpEvent): boolean {
    const name = e.name;
    if (name === 'exception') {
      this.exception ??= e.attributes;
      return false;
    }
    if (!name.startsWith('gen_ai.')) return false;
    const role = ROLE_EVENTS[name];
    if (role !== undefined) (this.input ??= []).push(messageFromEvent(e.attributes, e.attributes.role === undefined ? role : undefined));
    else if (name === 'gen_ai.choice') (this.output ??= []).push(messageFromEvent(e.attributes, undefined));
    else if (name === 'gen_ai.content.prompt') pushAll((this.input ??= []), jsonish(e.attributes['gen_ai.prompt']), 'user');
    else if (name === 'gen_ai.content.completion') pushAll((this.output ??= []), jsonish(e.attributes['gen_ai.completion']), 'assistant');
    else return false;
    return true;
  }
}

/** Appends `"key":value` to a body being built as text. */
function field(body: string, key: string, valueText: string): string {
  return `${body.length > 1 ? `${body},` : body}"${key}":${valueText}`;
}

/**
 * The log's request body: the request model and parameters, then system instructions, input messages and
 * tool definitions, in the vocabulary of the convention that carried them. Built as text so the JSON the
 * instrumentation already produced is spliced in rather than parsed and re-encoded.
 */
export function requestBody(scan: GenAiScan, events: EventMessages | undefined): string {
  let body = '{';
  const model = scan.requestModel ?? scan.llmModel;
  if (model !== undefined) body = field(body, 'model', JSON.stringify(model));
  const params = scan.params;
  if (params !== undefined) for (const k in params) body = `${body.length > 1 ? `${body},` : body}${JSON.stringify(k)}:${jsonValueText(params[k])}`;
  if (!isBlank(scan.systemInstructions)) body = field(body, 'system', jsonValueText(scan.systemInstructions));
  if (!isBlank(scan.inputMessages)) body = field(body, 'messages', jsonValueText(scan.inputMessages));
  else if (scan.prompts !== undefined) body = field(body, 'messages', JSON.stringify(scan.prompts.toArray()));
  else if (events?.input !== undefined) body = field(body, 'messages', JSON.stringify(events.input));
  if (!isBlank(scan.toolDefinitions)) body = field(body, 'tools', jsonValueText(scan.toolDefinitions));
  return `${body}}`;
}

function usageText(u: ResolvedUsage): string {
  let t = '{';
  if (u.requestTokens !== undefined) t = field(t, 'prompt_tokens', String(u.requestTokens));
  if (u.responseTokens !== undefined) t = field(t, 'completion_tokens', String(u.responseTokens));
  if (u.totalTokens !== undefined) t = field(t, 'total_tokens', String(u.totalTokens));
  if (u.cacheReadTokens !== undefined || u.cacheWriteTokens !== undefined) {
    let d = '{';
    if (u.cacheReadTokens !== undefined) d = field(d, 'cached_tokens', String(u.cacheReadTokens));
    if (u.cacheWriteTokens !== undefined) d = field(d, 'cache_write_tokens', String(u.cacheWriteTokens));
    t = field(t, 'prompt_tokens_details', `${d}}`);
  }
  if (u.reasoningTokens !== undefined) t = field(t, 'completion_tokens_details', `{"reasoning_tokens":${u.reasoningTokens}}`);
  return `${t}}`;
}

/**
 * The log's response body. Usage is written OpenAI-style (prompt tokens including cache, completion tokens
 * including reasoning), so re-deriving fields from the stored body gives the same numbers as the span did.
 */
export function responseBody(
  scan: GenAiScan,
  events: EventMessages | undefined,
  usage: ResolvedUsage,
  error: { message?: string; type?: string } | undefined,
): string {
  let body = '{';
  if (scan.responseId !== undefined) body = field(body, 'id', JSON.stringify(scan.responseId));
  if (scan.responseModel !== undefined) body = field(body, 'model', JSON.stringify(scan.responseModel));
  if (!isBlank(scan.outputMessages)) body = field(body, 'messages', jsonValueText(scan.outputMessages));
  else if (scan.completions !== undefined) body = field(body, 'messages', JSON.stringify(scan.completions.toArray()));
  else if (events?.output !== undefined) body = field(body, 'messages', JSON.stringify(events.output));
  if (!isBlank(scan.finishReasons)) body = field(body, 'finish_reasons', jsonValueText(scan.finishReasons));
  if (usage.requestTokens !== undefined || usage.responseTokens !== undefined) body = field(body, 'usage', usageText(usage));
  if (error !== undefined) body = field(body, 'error', JSON.stringify(error));
  return `${body}}`;
}
