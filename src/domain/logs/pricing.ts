import { calcPrice, findProvider } from '@pydantic/genai-prices';
import type { ModelInfo, ModelPrice, Usage } from '@pydantic/genai-prices';

export interface CostInput {
  provider?: string;
  model?: string;
  /** Total prompt tokens, INCLUDING cache reads and cache writes (genai-prices semantics). */
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  timestamp?: Date;
}

export interface Cost {
  cents: number;
  currency: 'USD';
}

// Log provider names (Portkey-style) -> genai-prices provider ids. Explicit entries matter:
// the library resolves unknown ids by substring, so "azure-openai" would silently become "openai".
const PROVIDER_ALIASES: Readonly<Record<string, string>> = {
  openai: 'openai',
  'azure-openai': 'azure',
  azure: 'azure',
  'azure-ai': 'azure',
  'azure-ai-inference': 'azure',
  anthropic: 'anthropic',
  google: 'google',
  gemini: 'google',
  'vertex-ai': 'google',
  vertex: 'google',
  'google-vertex': 'google',
  bedrock: 'aws',
  'aws-bedrock': 'aws',
  aws: 'aws',
  cohere: 'cohere',
  'mistral-ai': 'mistral',
  mistral: 'mistral',
  groq: 'groq',
  'together-ai': 'together',
  together: 'together',
  deepseek: 'deepseek',
  openrouter: 'openrouter',
  'x-ai': 'x-ai',
  xai: 'x-ai',
  'fireworks-ai': 'fireworks',
  fireworks: 'fireworks',
  'perplexity-ai': 'perplexity',
  perplexity: 'perplexity',
  cerebras: 'cerebras',
  'novita-ai': 'novita',
  moonshot: 'moonshotai',
};

interface Tiered {
  base: number;
  tiers: ReadonlyArray<{ start: number; price: number }>;
}
type Rate = number | Tiered | undefined;

/** Per-million-token rates for the four token kinds we report, plus the flat per-request fee. */
interface LinearPrice {
  input: Rate;
  output: Rate;
  cacheRead: Rate;
  cacheWrite: Rate;
  perRequestUsd: number;
}

interface Slot {
  prices: ModelPrice;
  startMs?: number;
  todStart?: number;
  todEnd?: number;
  // undefined: not compiled yet; null: the price shape is beyond the fast path, defer to the library.
  fast?: LinearPrice | null;
}

interface Entry {
  providerId: string | undefined;
  model: string;
  slots: Slot[];
  conditional: boolean;
}

// Caches are keyed by caller-supplied strings, so they are bounded to keep memory flat.
const MAX_ENTRIES = 10_000;
const byProvider = new Map<string, Map<string, Entry | null>>();
let entryCount = 0;
const NO_PROVIDER = '\u0000';

function resolveProviderId(provider: string | undefined): string | undefined {
  if (provider === undefined) return undefined;
  const p = provider.trim().toLowerCase();
  if (p === '') return undefined;
  const alias = PROVIDER_ALIASES[p];
  if (alias !== undefined) return alias;
  try {
    return findProvider({ providerId: p })?.id;
  } catch {
    return undefined;
  }
}

function parseTimeOfDay(s: string): number | undefined {
  const m = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):(\d{2}))$/.exec(s);
  if (!m) return undefined;
  const local = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(`0.${m[4] ?? ''}`);
  const offset = m[5] === 'Z' ? 0 : (m[6] === '+' ? 1 : -1) * (Number(m[7]) * 60 + Number(m[8])) * 60;
  return (local - offset + 86_400) % 86_400;
}

function buildSlots(model: ModelInfo): Slot[] | undefined {
  if (!Array.isArray(model.prices)) return [{ prices: model.prices }];
  const slots: Slot[] = [];
  for (const cp of model.prices) {
    const c = cp.constraint;
    if (c === undefined) slots.push({ prices: cp.prices });
    else if (c.type === 'start_date') slots.push({ prices: cp.prices, startMs: Date.parse(c.start_date) });
    else {
      const todStart = parseTimeOfDay(c.start_time);
      const todEnd = parseTimeOfDay(c.end_time);
      if (todStart === undefined || todEnd === undefined) return undefined;
      slots.push({ prices: cp.prices, todStart, todEnd });
    }
  }
  return slots.length > 0 ? slots : undefined;
}

function lookup(provider: string | undefined, model: string): Entry | null {
  const pKey = provider ?? NO_PROVIDER;
  let models = byProvider.get(pKey);
  if (models === undefined) {
    models = new Map();
    byProvider.set(pKey, models);
  }
  const cached = models.get(model);
  if (cached !== undefined) return cached;

  let entry: Entry | null = null;
  const providerId = resolveProviderId(provider);
  // A provider we cannot identify may be a proxy or self-hosted gateway: price by model alone.
  const known = providerId !== undefined;
  try {
    const probe = calcPrice({ input_tokens: 0, output_tokens: 0 }, model, known ? { providerId } : {});
    const slots = probe ? buildSlots(probe.model) : undefined;
    if (slots) entry = { providerId, model, slots, conditional: Array.isArray(probe?.model.prices) };
  } catch {
    entry = null;
  }
  if (entryCount >= MAX_ENTRIES) {
    byProvider.clear();
    entryCount = 0;
    models = new Map();
    byProvider.set(pKey, models);
  }
  models.set(model, entry);
  entryCount++;
  return entry;
}

// Mirrors the library's constraint precedence: the last matching constraint wins, else the first slot.
function selectSlot(entry: Entry, ms: number): Slot {
  const slots = entry.slots;
  if (!entry.conditional) return slots[0]!;
  let daySec = -1;
  for (let i = slots.length - 1; i >= 0; i--) {
    const s = slots[i]!;
    if (s.startMs !== undefined) {
      if (ms >= s.startMs) return s;
    } else if (s.todStart !== undefined && s.todEnd !== undefined) {
      if (daySec < 0) daySec = (((ms % 86_400_000) + 86_400_000) % 86_400_000) / 1000;
      const inside = s.todEnd < s.todStart ? daySec >= s.todStart || daySec < s.todEnd : daySec >= s.todStart && daySec < s.todEnd;
      if (inside) return s;
    } else {
      return s;
    }
  }
  return slots[0]!;
}

function toRate(v: unknown): Rate | null {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : null;
  if (typeof v === 'object' && v !== null) {
    const t = v as { base?: unknown; tiers?: unknown };
    if (typeof t.base !== 'number' || !Array.isArray(t.tiers)) return null;
    const tiers = (t.tiers as Array<{ start?: unknown; price?: unknown }>)
      .map((x) => ({ start: Number(x.start), price: Number(x.price) }))
      .sort((a, b) => a.start - b.start);
    return { base: t.base, tiers };
  }
  return null;
}

function rateAt(r: Rate, totalInput: number): number {
  if (r === undefined) return 0;
  if (typeof r === 'number') return r;
  let price = r.base;
  for (const t of r.tiers) if (totalInput > t.start) price = t.price;
  return price;
}

function evaluate(p: LinearPrice, input: number, output: number, cr: number, cw: number): number | undefined {
  // Cache tokens are partitions of the input total; unpriced partitions stay billed at the input rate.
  const uncached = input - (p.cacheRead !== undefined ? cr : 0) - (p.cacheWrite !== undefined ? cw : 0);
  if (uncached < 0) return undefined;
  return (
    (uncached * rateAt(p.input, input) + cr * rateAt(p.cacheRead, input) + cw * rateAt(p.cacheWrite, input) + output * rateAt(p.output, input)) / 1e6 +
    p.perRequestUsd
  );
}

const PROBES: ReadonlyArray<Usage> = [
  { input_tokens: 1000, output_tokens: 500 },
  { input_tokens: 3000, cache_read_tokens: 1200, cache_write_tokens: 700, output_tokens: 900 },
  { input_tokens: 150_000, cache_read_tokens: 20_000, output_tokens: 4000 },
  { input_tokens: 1_500_000, cache_read_tokens: 300_000, cache_write_tokens: 200_000, output_tokens: 40_000 },
];

// The fast path re-implements the library's arithmetic for our four token kinds, so it is only
// trusted after agreeing with the library on a few probes; anything else defers to calcPrice.
function compile(entry: Entry, slot: Slot, ts: Date): LinearPrice | null {
  const pr = slot.prices;
  const input = toRate(pr.input_mtok);
  const output = toRate(pr.output_mtok);
  const cacheRead = toRate(pr.cache_read_mtok);
  const cacheWrite = toRate(pr.cache_write_mtok);
  const req = pr.requests_kcount;
  if (input === null || output === null || cacheRead === null || cacheWrite === null) return null;
  if (req !== undefined && typeof req !== 'number') return null;
  const fast: LinearPrice = { input, output, cacheRead, cacheWrite, perRequestUsd: (req ?? 0) / 1000 };
  try {
    for (const u of PROBES) {
      const lib = calcPrice(u, entry.model, { providerId: entry.providerId, timestamp: ts });
      if (!lib || lib.model_price !== slot.prices) return null;
      const mine = evaluate(fast, u.input_tokens ?? 0, u.output_tokens ?? 0, u.cache_read_tokens ?? 0, u.cache_write_tokens ?? 0);
      if (mine === undefined || Math.abs(mine - lib.total_price) > 1e-9 * Math.max(1, lib.total_price)) return null;
    }
  } catch {
    return null;
  }
  return fast;
}

function validCount(v: number | undefined): number | undefined | null {
  if (v === undefined) return undefined;
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null;
}

export function computeCostCents(input: CostInput): Cost | undefined {
  const model = input.model;
  if (typeof model !== 'string' || model === '') return undefined;
  const inTok = validCount(input.inputTokens);
  const outTok = validCount(input.outputTokens);
  const cr = validCount(input.cacheReadTokens);
  const cw = validCount(input.cacheWriteTokens);
  if (inTok === null || outTok === null || cr === null || cw === null) return undefined;
  if (inTok === undefined && outTok === undefined) return undefined;

  const entry = lookup(typeof input.provider === 'string' ? input.provider : undefined, model);
  if (entry === null) return undefined;

  const ms = input.timestamp ? input.timestamp.getTime() : Date.now();
  if (Number.isNaN(ms)) return undefined;
  const slot = selectSlot(entry, ms);
  if (slot.fast === undefined) slot.fast = compile(entry, slot, new Date(ms));

  let usd: number | undefined;
  if (slot.fast !== null) {
    usd = evaluate(slot.fast, inTok ?? 0, outTok ?? 0, cr ?? 0, cw ?? 0);
  } else {
    const usage: Usage = { input_tokens: inTok ?? 0, output_tokens: outTok ?? 0 };
    if (cr) usage.cache_read_tokens = cr;
    if (cw) usage.cache_write_tokens = cw;
    try {
      usd = calcPrice(usage, entry.model, { providerId: entry.providerId, timestamp: new Date(ms) })?.total_price;
    } catch {
      usd = undefined;
    }
  }
  if (usd === undefined || !Number.isFinite(usd)) return undefined;
  return { cents: usdToCents(usd), currency: 'USD' };
}

/** US dollars as cents, rounded so binary-float noise (0.1 + 0.2 style) goes without losing sub-cent precision. */
export function usdToCents(usd: number): number {
  return Math.round(usd * 1e12) / 1e10;
}
