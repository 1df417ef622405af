/**
 * Chat requests and responses as a conversation: OpenAI chat completions and Responses, Anthropic messages,
 * Gemini contents, and the GenAI semantic-convention messages OTLP spans carry. Unknown shapes give null, and
 * the panel shows the raw JSON instead.
 */

type Obj = Record<string, unknown>;

export type Part =
  | { kind: 'text'; text: string }
  | { kind: 'image'; label: string }
  | { kind: 'toolCall'; name: string; args: string; id?: string }
  | { kind: 'toolResult'; text: string; id?: string; name?: string }
  | { kind: 'other'; text: string };

export interface Message {
  role: 'system' | 'user' | 'assistant' | 'tool' | string;
  parts: Part[];
  /** Which side it came from. */
  from: 'request' | 'response';
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const json = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v, null, 2) ?? ''));

/** Tool arguments often arrive as JSON text: pretty-print them when they parse. */
function prettyArgs(v: unknown): string {
  if (typeof v === 'string') {
    try {
      return JSON.stringify(JSON.parse(v), null, 2);
    } catch {
      return v;
    }
  }
  return json(v ?? {});
}

function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((p) => (isObj(p) ? (str(p.text) ?? str(p.content) ?? json(p)) : String(p))).join('\n');
  return json(v);
}

function imageLabel(p: Obj): string {
  const inline = (isObj(p.inlineData) && p.inlineData) || (isObj(p.inline_data) && p.inline_data) || (isObj(p.source) && p.source) || undefined;
  const mime = str(inline?.mimeType) ?? str(inline?.mime_type) ?? str(inline?.media_type) ?? str(p.mime_type);
  const url = isObj(p.image_url) ? str(p.image_url.url) : (str(p.image_url) ?? str(p.url));
  if (url && !url.startsWith('data:')) return `Image: ${url}`;
  return `Image${mime ? ` (${mime})` : ''}`;
}

function partOf(p: unknown): Part | undefined {
  if (typeof p === 'string') return { kind: 'text', text: p };
  if (!isObj(p)) return p === null || p === undefined ? undefined : { kind: 'other', text: json(p) };
  const type = str(p.type);
  if (type === 'tool_use' || type === 'tool_call' || type === 'function_call')
    return { kind: 'toolCall', name: str(p.name) ?? 'tool', args: prettyArgs(p.input ?? p.arguments ?? p.args), id: str(p.id) ?? str(p.call_id) };
  if (type === 'tool_result' || type === 'tool_call_response' || type === 'function_call_output')
    return { kind: 'toolResult', text: textOf(p.content ?? p.response ?? p.output ?? p.result), id: str(p.tool_use_id) ?? str(p.id) ?? str(p.call_id) };
  if (isObj(p.functionCall)) return { kind: 'toolCall', name: str(p.functionCall.name) ?? 'tool', args: prettyArgs(p.functionCall.args) };
  if (isObj(p.functionResponse)) return { kind: 'toolResult', name: str(p.functionResponse.name), text: json(p.functionResponse.response) };
  if (
    type === 'image_url' ||
    type === 'image' ||
    type === 'input_image' ||
    p.inlineData ||
    p.inline_data ||
    p.fileData ||
    p.file_data ||
    type === 'blob' ||
    type === 'uri'
  )
    return { kind: 'image', label: imageLabel(p) };
  if (type === 'input_audio' || type === 'audio') return { kind: 'image', label: 'Audio' };
  if (type === 'thinking' && typeof p.thinking === 'string') return { kind: 'other', text: `Thinking: ${p.thinking}` };
  const text = str(p.text) ?? (type === 'text' || type === 'input_text' || type === 'output_text' ? str(p.content) : undefined);
  if (text !== undefined) return { kind: 'text', text };
  return { kind: 'other', text: json(p) };
}

function roleOf(m: Obj): string {
  const type = str(m.type);
  if (type === 'function_call') return 'assistant';
  if (type === 'function_call_output') return 'tool';
  const role = str(m.role) ?? 'user';
  if (role === 'model') return 'assistant';
  if (role === 'function' || role === 'tool') return 'tool';
  if (role === 'developer') return 'system';
  return role;
}

function messageOf(m: unknown, from: Message['from']): Message | undefined {
  if (typeof m === 'string') return { role: 'user', parts: [{ kind: 'text', text: m }], from };
  if (!isObj(m)) return undefined;
  const parts: Part[] = [];
  const role = roleOf(m);
  const type = str(m.type);
  if (type === 'function_call' || type === 'function_call_output') {
    const p = partOf(m);
    if (p) parts.push(p);
    return { role, parts, from };
  }
  const content = m.content ?? m.parts;
  if (role === 'tool' && m.tool_call_id !== undefined) parts.push({ kind: 'toolResult', text: textOf(content), id: str(m.tool_call_id), name: str(m.name) });
  else if (typeof content === 'string') parts.push({ kind: 'text', text: content });
  else if (Array.isArray(content))
    for (const c of content) {
      const p = partOf(c);
      if (p) parts.push(p);
    }
  else if (isObj(content)) {
    const p = partOf(content);
    if (p) parts.push(p);
  }
  if (Array.isArray(m.tool_calls))
    for (const c of m.tool_calls) {
      if (!isObj(c)) continue;
      const fn = isObj(c.function) ? c.function : c;
      parts.push({ kind: 'toolCall', name: str(fn.name) ?? 'tool', args: prettyArgs(fn.arguments), id: str(c.id) });
    }
  if (isObj(m.function_call)) parts.push({ kind: 'toolCall', name: str(m.function_call.name) ?? 'tool', args: prettyArgs(m.function_call.arguments) });
  if (typeof m.refusal === 'string') parts.push({ kind: 'text', text: `Refused: ${m.refusal}` });
  return { role, parts, from };
}

const list = (v: unknown, from: Message['from']): Message[] =>
  Array.isArray(v) ? v.map((m) => messageOf(m, from)).filter((m): m is Message => m !== undefined) : [];

function systemOf(v: unknown): Message[] {
  if (v === undefined || v === null || v === '') return [];
  const parts: Part[] = [];
  if (typeof v === 'string') parts.push({ kind: 'text', text: v });
  else if (Array.isArray(v))
    v.forEach((p) => {
      const x = partOf(p);
      if (x) parts.push(x);
    });
  else if (isObj(v) && Array.isArray(v.parts))
    v.parts.forEach((p) => {
      const x = partOf(p);
      if (x) parts.push(x);
    });
  else parts.push({ kind: 'other', text: json(v) });
  return [{ role: 'system', parts, from: 'request' }];
}

export function requestMessages(body: unknown): Message[] {
  if (!isObj(body)) return [];
  const out = [...systemOf(body.system ?? body.systemInstruction ?? body.system_instruction ?? body.instructions)];
  if (Array.isArray(body.messages)) out.push(...list(body.messages, 'request'));
  else if (Array.isArray(body.contents)) out.push(...list(body.contents, 'request'));
  else if (typeof body.input === 'string') out.push({ role: 'user', parts: [{ kind: 'text', text: body.input }], from: 'request' });
  else if (Array.isArray(body.input)) out.push(...list(body.input, 'request'));
  else if (typeof body.prompt === 'string') out.push({ role: 'user', parts: [{ kind: 'text', text: body.prompt }], from: 'request' });
  return out;
}

export function responseMessages(body: unknown): Message[] {
  if (!isObj(body)) return [];
  if (Array.isArray(body.choices))
    return body.choices.flatMap((c) => {
      if (!isObj(c)) return [];
      if (isObj(c.message)) return list([{ role: 'assistant', ...c.message }], 'response');
      if (typeof c.text === 'string') return [{ role: 'assistant', parts: [{ kind: 'text' as const, text: c.text }], from: 'response' as const }];
      return [];
    });
  if (Array.isArray(body.candidates))
    return body.candidates.flatMap((c) => (isObj(c) && isObj(c.content) ? list([{ role: 'model', ...c.content }], 'response') : []));
  if (Array.isArray(body.content) && (body.type === 'message' || body.role === 'assistant'))
    return list([{ role: 'assistant', content: body.content }], 'response');
  if (Array.isArray(body.output))
    return body.output.flatMap((o) =>
      isObj(o) && o.type === 'message' ? list([{ role: 'assistant', content: o.content }], 'response') : list([o], 'response'),
    );
  if (Array.isArray(body.messages)) return list(body.messages, 'response').map((m) => ({ ...m, role: m.role === 'user' ? 'assistant' : m.role }));
  return [];
}

/** The error a failed call reported, in one line. */
export function errorSummary(body: unknown): string | undefined {
  if (typeof body === 'string') return body.slice(0, 500) || undefined;
  if (!isObj(body)) return undefined;
  const e = body.error;
  if (typeof e === 'string') return e;
  if (isObj(e)) return str(e.message) ?? str(e.type) ?? json(e);
  return str(body.message) ?? str(body.detail) ?? str(body.error_message);
}

/** Headers that carry credentials: never put into a copied command (stored values are redacted anyway). */
const CREDENTIAL_HEADERS =
  /^(authorization|proxy-authorization|cookie|x-api-key|api-key|x-portkey-api-key|x-goog-api-key|openai-api-key|x-amz-security-token|x-amz-content-sha256|x-portkey-virtual-key)$/i;
/** Headers curl sets itself or that describe the original transfer, not the request. */
const TRANSFER_HEADERS = /^(content-length|host|connection|accept-encoding|transfer-encoding)$/i;

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** A cURL command that repeats the request, without credentials. */
export function curlCommand(request: { url?: unknown; method?: unknown; headers?: unknown; body?: unknown }): string {
  const lines = [`curl -X ${str(request.method)?.toUpperCase() ?? 'POST'} ${shellQuote(str(request.url) ?? '')}`];
  const headers = isObj(request.headers) ? request.headers : {};
  let hasType = false;
  for (const [k, v] of Object.entries(headers)) {
    if (CREDENTIAL_HEADERS.test(k) || TRANSFER_HEADERS.test(k) || typeof v !== 'string' || /redacted/i.test(v)) continue;
    if (k.toLowerCase() === 'content-type') hasType = true;
    lines.push(`-H ${shellQuote(`${k}: ${v}`)}`);
  }
  if (request.body !== undefined && request.body !== null && request.body !== '') {
    if (!hasType) lines.push(`-H ${shellQuote('content-type: application/json')}`);
    lines.push(`--data-raw ${shellQuote(typeof request.body === 'string' ? request.body : JSON.stringify(request.body))}`);
  }
  return lines.join(' \\\n  ');
}
