import { asObject as obj, count } from '../values.js';
import { computeCostCents } from './pricing.js';

export interface DerivedFields {
  provider?: string; // lowercase: "openai", "anthropic", "google", "vertex-ai", "azure-openai", "bedrock", ...
  model?: string;
  requestTokens?: number; // prompt tokens, cache reads/writes included
  responseTokens?: number; // completion tokens, reasoning/thinking included
  totalTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
  cost?: number; // cents
  costCurrency?: string;
  costSource?: 'client' | 'computed';
  statusCode: number;
  isSuccess: boolean;
  responseTimeMs?: number;
  promptSlug?: string;
  promptVersionId?: string;
  configId?: string;
  virtualKey?: string;
  cacheStatus?: string;
  cacheType?: string;
  streamMode?: boolean;
  mode?: string;
  runtime?: string;
  runtimeVersion?: string;
  sdkVersion?: string;
  retrySuccessCount?: number;
}

export interface RawLogForDerivation {
  request: { url: string; provider?: string; body: unknown };
  response: { status: number; body: unknown; response_time?: number };
  metadata: Record<string, string>;
}

/**
 * Token counts normalised across providers. requestTokens always INCLUDES cache reads/writes
 * (Anthropic and Bedrock report them separately, OpenAI and Gemini include them), and
 * responseTokens includes reasoning/thinking tokens, because both are billed that way.
 */
export interface ExtractedUsage {
  requestTokens?: number;
  responseTokens?: number;
  totalTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
}

type Obj = Record<string, unknown>;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function sum(...xs: Array<number | undefined>): number | undefined {
  let total: number | undefined;
  for (const x of xs) if (x !== undefined) total = (total ?? 0) + x;
  return total;
}

const HOSTS: ReadonlyArray<readonly [string, string]> = [
  ['api.openai.com', 'openai'],
  ['api.anthropic.com', 'anthropic'],
  ['generativelanguage.googleapis.com', 'google'],
  ['api.cohere.ai', 'cohere'],
  ['api.cohere.com', 'cohere'],
  ['api.mistral.ai', 'mistral-ai'],
  ['api.groq.com', 'groq'],
  ['api.together.xyz', 'together-ai'],
  ['api.deepseek.com', 'deepseek'],
  ['openrouter.ai', 'openrouter'],
  ['api.openrouter.ai', 'openrouter'],
  ['api.x.ai', 'x-ai'],
  ['api.fireworks.ai', 'fireworks-ai'],
];
const HOST_MAP = new Map(HOSTS);

function hostOf(url: string): string | undefined {
  const scheme = url.indexOf('://');
  const start = scheme >= 0 ? scheme + 3 : 0;
  // The authority ends at the first / ? or #; user info (which may contain ':') ends at its last '@'.
  let end = start;
  while (end < url.length) {
    const c = url.charCodeAt(end);
    if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */) break;
    end++;
  }
  const at = url.lastIndexOf('@', end);
  const hostStart = at >= start ? at + 1 : start;
  let hostEnd = end;
  if (url.charCodeAt(hostStart) === 91 /* [ */)
    hostEnd = url.indexOf(']', hostStart) + 1 || end; // IPv6 literal
  else {
    const colon = url.indexOf(':', hostStart);
    if (colon >= 0 && colon < end) hostEnd = colon;
  }
  const host = url.slice(hostStart, hostEnd).toLowerCase();
  return host === '' ? undefined : host;
}

export function providerFromUrl(url: string): string | undefined {
  if (typeof url !== 'string') return undefined;
  const host = hostOf(url);
  if (host === undefined) return undefined;
  const exact = HOST_MAP.get(host);
  if (exact !== undefined) return exact;
  if (host.endsWith('.openai.azure.com')) return 'azure-openai';
  if (host.endsWith('aiplatform.googleapis.com')) return 'vertex-ai';
  if (host.startsWith('bedrock-runtime.') && host.endsWith('.amazonaws.com')) return 'bedrock';
  return undefined;
}

function modelFromUrl(url: string, provider: string | undefined): string | undefined {
  if (typeof url !== 'string') return undefined;
  let raw: string | undefined;
  if (provider === 'bedrock') {
    raw = /\/model\/([^/?#]+)\/(?:invoke|converse)/.exec(url)?.[1];
  } else if (provider === 'google' || provider === 'vertex-ai') {
    raw = /\/models\/([^/:?#]+)[:?#]/.exec(url)?.[1];
  }
  if (raw === undefined) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * Fills the one missing figure of request/response/total when the other two are known. Builds a fresh
 * object with only defined keys: deleting keys would push V8 into slow dictionary mode. Shared with OTLP.
 */
export function completeUsage(u: ExtractedUsage): ExtractedUsage {
  let { requestTokens: req, responseTokens: res, totalTokens: tot } = u;
  if (tot === undefined && req !== undefined && res !== undefined) tot = req + res;
  else if (res === undefined && req !== undefined && tot !== undefined && tot >= req) res = tot - req;
  else if (req === undefined && res !== undefined && tot !== undefined && tot >= res) req = tot - res;
  const r: ExtractedUsage = {};
  if (req !== undefined) r.requestTokens = req;
  if (res !== undefined) r.responseTokens = res;
  if (tot !== undefined) r.totalTokens = tot;
  if (u.cacheReadTokens !== undefined) r.cacheReadTokens = u.cacheReadTokens;
  if (u.cacheWriteTokens !== undefined) r.cacheWriteTokens = u.cacheWriteTokens;
  if (u.reasoningTokens !== undefined) r.reasoningTokens = u.reasoningTokens;
  return r;
}

function fromUsageBlock(body: Obj, u: Obj): ExtractedUsage | undefined {
  // Cohere v2: usage.billed_units is what is charged; usage.tokens includes template tokens.
  const billed = obj(u.billed_units);
  const tokens = obj(u.tokens);
  if (billed || tokens) {
    const requestTokens = count(billed?.input_tokens) ?? count(tokens?.input_tokens);
    const responseTokens = count(billed?.output_tokens) ?? count(tokens?.output_tokens);
    return { requestTokens, responseTokens, cacheReadTokens: count(u.cached_tokens) };
  }
  // OpenAI chat completions, embeddings and the many OpenAI-compatible APIs.
  if (u.prompt_tokens !== undefined || u.completion_tokens !== undefined) {
    const pd = obj(u.prompt_tokens_details);
    const cd = obj(u.completion_tokens_details);
    return {
      requestTokens: count(u.prompt_tokens),
      responseTokens: count(u.completion_tokens),
      totalTokens: count(u.total_tokens),
      // DeepSeek also reports prompt_cache_hit_tokens on older API versions.
      cacheReadTokens: count(pd?.cached_tokens) ?? count(u.prompt_cache_hit_tokens),
      cacheWriteTokens: count(pd?.cache_write_tokens),
      reasoningTokens: count(cd?.reasoning_tokens),
    };
  }
  // Bedrock Converse: inputTokens excludes cache reads/writes.
  if (u.inputTokens !== undefined || u.outputTokens !== undefined) {
    const cr = count(u.cacheReadInputTokens);
    const cw = count(u.cacheWriteInputTokens);
    const requestTokens = sum(count(u.inputTokens), cr, cw);
    const totalTokens = count(u.totalTokens);
    return { requestTokens, responseTokens: count(u.outputTokens), totalTokens, cacheReadTokens: cr, cacheWriteTokens: cw };
  }
  if (u.input_tokens !== undefined || u.output_tokens !== undefined) {
    const inDetails = obj(u.input_tokens_details);
    const outDetails = obj(u.output_tokens_details);
    const anthropic = body.type === 'message' || u.cache_read_input_tokens !== undefined || u.cache_creation_input_tokens !== undefined;
    if (!anthropic && (inDetails || outDetails || u.total_tokens !== undefined)) {
      // OpenAI Responses API: input_tokens already includes cached tokens.
      return {
        requestTokens: count(u.input_tokens),
        responseTokens: count(u.output_tokens),
        totalTokens: count(u.total_tokens),
        cacheReadTokens: count(inDetails?.cached_tokens),
        reasoningTokens: count(outDetails?.reasoning_tokens),
      };
    }
    // Anthropic Messages (direct, Vertex or Bedrock InvokeModel): input_tokens excludes cache.
    const cr = count(u.cache_read_input_tokens);
    const cw = count(u.cache_creation_input_tokens);
    const requestTokens = sum(count(u.input_tokens), cr, cw);
    const reasoningTokens = count(outDetails?.thinking_tokens);
    return { requestTokens, responseTokens: count(u.output_tokens), cacheReadTokens: cr, cacheWriteTokens: cw, reasoningTokens };
  }
  return undefined;
}

export function extractUsage(body: unknown): ExtractedUsage {
  const b = obj(body);
  if (b === undefined) return {};
  try {
    const u = obj(b.usage);
    if (u) {
      const r = fromUsageBlock(b, u);
      if (r) return completeUsage(r);
    }
    // Google Gemini / Vertex: candidates exclude thoughts, but both are billed as output.
    const gm = obj(b.usageMetadata);
    if (gm) {
      const thoughts = count(gm.thoughtsTokenCount);
      return completeUsage({
        requestTokens: sum(count(gm.promptTokenCount), count(gm.toolUsePromptTokenCount)),
        responseTokens: sum(count(gm.candidatesTokenCount), thoughts),
        totalTokens: count(gm.totalTokenCount),
        cacheReadTokens: count(gm.cachedContentTokenCount),
        reasoningTokens: thoughts,
      });
    }
    // Cohere v1 (chat/generate/embed).
    const meta = obj(b.meta);
    if (meta) {
      const billed = obj(meta.billed_units);
      const tokens = obj(meta.tokens);
      if (billed || tokens) {
        const requestTokens = count(billed?.input_tokens) ?? count(tokens?.input_tokens);
        return completeUsage({ requestTokens, responseTokens: count(billed?.output_tokens) ?? count(tokens?.output_tokens) });
      }
    }
    // Bedrock InvokeModel, Amazon Titan text and embeddings.
    if (b.inputTextTokenCount !== undefined) {
      const first = Array.isArray(b.results) ? obj(b.results[0]) : undefined;
      const out = count(first?.tokenCount) ?? (Array.isArray(b.embedding) ? 0 : undefined);
      return completeUsage({ requestTokens: count(b.inputTextTokenCount), responseTokens: out });
    }
    // Bedrock InvokeModel, Meta Llama.
    if (b.prompt_token_count !== undefined || b.generation_token_count !== undefined) {
      return completeUsage({ requestTokens: count(b.prompt_token_count), responseTokens: count(b.generation_token_count) });
    }
  } catch {
    // Getters or proxies on exotic bodies: deriving nothing is better than failing ingestion.
  }
  return {};
}

/**
 * Token counts and cost into derived fields, the same for REST logs and OTLP spans: a cost the client
 * reported wins; otherwise it is computed from the model's price and the tokens, when both are known.
 */
export function applyUsageAndCost(
  out: DerivedFields,
  usage: ExtractedUsage,
  opts: { provider?: string; model?: string; timestamp?: Date; client?: { cents: number; currency: string } },
): void {
  if (usage.requestTokens !== undefined) out.requestTokens = usage.requestTokens;
  if (usage.responseTokens !== undefined) out.responseTokens = usage.responseTokens;
  if (usage.totalTokens !== undefined) out.totalTokens = usage.totalTokens;
  if (usage.cacheReadTokens !== undefined) out.cacheReadTokens = usage.cacheReadTokens;
  if (usage.cacheWriteTokens !== undefined) out.cacheWriteTokens = usage.cacheWriteTokens;
  if (usage.reasoningTokens !== undefined) out.reasoningTokens = usage.reasoningTokens;
  if (opts.client !== undefined) {
    out.cost = opts.client.cents;
    out.costCurrency = opts.client.currency;
    out.costSource = 'client';
  } else if (opts.model && (usage.requestTokens !== undefined || usage.responseTokens !== undefined)) {
    const c = computeCostCents({
      provider: opts.provider,
      model: opts.model,
      inputTokens: usage.requestTokens,
      outputTokens: usage.responseTokens,
      cacheReadTokens: usage.cacheReadTokens,
      cacheWriteTokens: usage.cacheWriteTokens,
      timestamp: opts.timestamp,
    });
    if (c) {
      out.cost = c.cents;
      out.costCurrency = c.currency;
      out.costSource = 'computed';
    }
  }
}

type MetaField =
  | 'provider'
  | 'model'
  | 'cost'
  | 'costCurrency'
  | 'promptSlug'
  | 'promptVersionId'
  | 'configId'
  | 'virtualKey'
  | 'cacheStatus'
  | 'cacheType'
  | 'streamMode'
  | 'mode'
  | 'runtime'
  | 'runtimeVersion'
  | 'sdkVersion'
  | 'retrySuccessCount';
type MetaValues = Partial<Record<MetaField, string>>;

// Metadata key -> (field, rank); for aliases of one field the lower rank wins.
const META_KEYS = new Map<string, readonly [MetaField, number]>([
  ['provider', ['provider', 0]],
  ['model', ['model', 0]],
  ['cost', ['cost', 0]],
  ['portkey_cost', ['cost', 1]],
  ['cost_currency', ['costCurrency', 0]],
  ['prompt_slug', ['promptSlug', 0]],
  ['promptSlug', ['promptSlug', 1]],
  ['prompt_version_id', ['promptVersionId', 0]],
  ['promptVersionId', ['promptVersionId', 1]],
  ['config', ['configId', 0]],
  ['config_id', ['configId', 1]],
  ['configId', ['configId', 2]],
  ['virtual_key', ['virtualKey', 0]],
  ['virtualKey', ['virtualKey', 1]],
  ['cache_status', ['cacheStatus', 0]],
  ['cache_type', ['cacheType', 0]],
  ['stream_mode', ['streamMode', 0]],
  ['mode', ['mode', 0]],
  ['runtime', ['runtime', 0]],
  ['runtime_version', ['runtimeVersion', 0]],
  ['sdk_version', ['sdkVersion', 0]],
  ['retry_success_count', ['retrySuccessCount', 0]],
]);

// One pass over the (usually small) metadata object: probing ~20 mostly-absent keys per log with
// dynamic lookups was the dominant cost of the whole derivation.
function scanMetadata(m: Obj | undefined): MetaValues {
  const found: MetaValues = {};
  if (m === undefined) return found;
  let ranks: Partial<Record<MetaField, number>> | undefined;
  for (const k in m) {
    const spec = META_KEYS.get(k);
    if (spec === undefined) continue;
    const v = m[k];
    const sv = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
    if (sv === '') continue;
    const field = spec[0];
    // Ranks are only materialised once aliases collide; the common case allocates nothing extra.
    if (found[field] !== undefined) {
      ranks ??= {};
      if ((ranks[field] ?? 0) <= spec[1]) continue;
    }
    found[field] = sv;
    if (spec[1] > 0 || ranks !== undefined) (ranks ??= {})[field] = spec[1];
  }
  return found;
}

const COPIED_META = [
  'promptSlug',
  'promptVersionId',
  'configId',
  'virtualKey',
  'cacheStatus',
  'cacheType',
  'mode',
  'runtime',
  'runtimeVersion',
  'sdkVersion',
] as const satisfies ReadonlyArray<MetaField & keyof DerivedFields>;

function bool(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  const s = v.trim().toLowerCase();
  if (s === 'true' || s === '1' || s === 'yes') return true;
  if (s === 'false' || s === '0' || s === 'no') return false;
  return undefined;
}

/** `options.timestamp` selects the price period for models whose price changed; defaults to now. */
export function deriveFields(log: RawLogForDerivation, options?: { timestamp?: Date }): DerivedFields {
  const request = obj(log?.request) ?? {};
  const response = obj(log?.response) ?? {};
  const mv = scanMetadata(obj(log?.metadata));
  const url = typeof request.url === 'string' ? request.url : '';

  const status = count(response.status);
  const statusCode = status !== undefined ? Math.trunc(status) : 0;
  const out: DerivedFields = { statusCode, isSuccess: statusCode >= 200 && statusCode <= 299 };

  const provider = (str(request.provider) ?? mv.provider)?.trim().toLowerCase() || providerFromUrl(url);
  if (provider) out.provider = provider;

  const reqBody = obj(request.body);
  const resBody = obj(response.body);
  const model = str(reqBody?.model) ?? str(resBody?.model) ?? str(resBody?.modelVersion) ?? modelFromUrl(url, provider) ?? mv.model;
  if (model) out.model = model;

  const usage = extractUsage(resBody);
  const clientCost = count(mv.cost);
  applyUsageAndCost(out, usage, {
    provider,
    model,
    timestamp: options?.timestamp,
    client: clientCost === undefined ? undefined : { cents: clientCost, currency: mv.costCurrency?.trim().toUpperCase() || 'USD' },
  });

  const rt = count(response.response_time);
  if (rt !== undefined) out.responseTimeMs = rt;
  for (const f of COPIED_META) {
    const v = mv[f];
    if (v !== undefined) out[f] = v;
  }
  const stream = bool(mv.streamMode);
  if (stream !== undefined) out.streamMode = stream;
  const retries = count(mv.retrySuccessCount);
  if (retries !== undefined) out.retrySuccessCount = Math.trunc(retries);
  return out;
}
