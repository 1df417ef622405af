import { gql, workspaceArg } from './api.js';
import { field, h, uid } from './dom.js';
import { timeRangePicker, type TimeRangeValue } from './time-range.js';

/**
 * The logs filter form shared by the Logs, Traces and Exports pages: its state, how it reads from and writes to
 * the URL query (so a view can be shared and reloaded), and how it becomes the API's LogFilter.
 */

export interface FilterState {
  range: TimeRangeValue;
  /** Model name prefixes, any case. */
  model: string;
  provider: string;
  statusCode: string;
  success: '' | 'true' | 'false';
  metadata: string;
  traceId: string;
}

export const EMPTY_FILTERS: FilterState = { range: { preset: 'all' }, model: '', provider: '', statusCode: '', success: '', metadata: '', traceId: '' };

const KEYS = { model: 'model', provider: 'provider', statusCode: 'status', success: 'success', metadata: 'meta', traceId: 'trace' } as const;

export function filtersFromQuery(q: URLSearchParams): FilterState {
  const from = q.get('from') ?? undefined;
  const to = q.get('to') ?? undefined;
  const preset = q.get('range') ?? (from || to ? 'custom' : 'all');
  const success = q.get(KEYS.success);
  return {
    range: preset === 'custom' ? { preset, from, to } : { preset },
    model: q.get(KEYS.model) ?? '',
    provider: q.get(KEYS.provider) ?? '',
    statusCode: q.get(KEYS.statusCode) ?? '',
    success: success === 'true' || success === 'false' ? success : '',
    metadata: q.get(KEYS.metadata) ?? '',
    traceId: q.get(KEYS.traceId) ?? '',
  };
}

/** URL query entries for a state; defaults are left out. */
export function filtersToQuery(s: FilterState): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (s.range.preset === 'custom') {
    out.from = s.range.from;
    out.to = s.range.to;
  } else if (s.range.preset !== 'all') out.range = s.range.preset;
  for (const [k, q] of Object.entries(KEYS)) out[q] = (s[k as keyof typeof KEYS] as string).trim() || undefined;
  return out;
}

const list = (s: string) =>
  s
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

const PRESET_MS: Record<string, number> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };

/** The range as LogFilter from/to, relative presets computed from `now`. */
export function rangeBounds(r: TimeRangeValue, now = Date.now()): { from?: string; to?: string } {
  if (r.preset === 'custom') {
    if (r.from && r.to && r.from > r.to) throw new Error('The time range ends before it starts.');
    return { ...(r.from && { from: r.from }), ...(r.to && { to: r.to }) };
  }
  const ms = PRESET_MS[r.preset];
  return ms ? { from: new Date(now - ms).toISOString() } : {};
}

/** A model in double quotes is an exact name: "gpt-4o" leaves out gpt-4o-mini (the Analytics page links so). */
const isQuoted = (m: string) => m.length >= 2 && m.startsWith('"') && m.endsWith('"');

/** The state as a LogFilter; throws with a message for the user on bad input. */
export function toLogFilter(state: FilterState, now = Date.now()): Record<string, unknown> {
  const filter: Record<string, unknown> = { ...rangeBounds(state.range, now) };
  const models = list(state.model);
  const exact = models.filter(isQuoted);
  if (exact.length && exact.length < models.length) throw new Error('Models are either all exact names (in quotes) or all beginnings of names, not both.');
  if (exact.length) filter.model = exact.map((m) => m.slice(1, -1));
  else if (models.length) filter.modelPrefix = models;
  if (list(state.provider).length) filter.provider = list(state.provider);
  if (list(state.traceId).length) filter.traceId = list(state.traceId);
  if (list(state.statusCode).length) {
    filter.statusCode = list(state.statusCode).map((v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 100 || n > 599) throw new Error(`Status code “${v}” is not an HTTP status (100–599).`);
      return n;
    });
  }
  if (state.success) filter.isSuccess = state.success === 'true';
  const pairs = list(state.metadata);
  if (pairs.length) {
    const metadata: Record<string, string> = {};
    for (const p of pairs) {
      const i = p.indexOf('=');
      if (i <= 0) throw new Error(`Metadata filter “${p}” must look like key=value.`);
      metadata[p.slice(0, i).trim()] = p.slice(i + 1).trim();
    }
    filter.metadata = metadata;
  }
  return filter;
}

const SUGGEST = `query Suggest($field: SuggestionField!, $prefix: String, $workspaceId: ID) {
  logSuggestions(field: $field, prefix: $prefix, first: 15, workspaceId: $workspaceId) { value count }
}`;

/**
 * Offers known values in a <datalist> as the user types (the last comma-separated item is what is completed).
 * Requests are debounced and only the latest answer is shown.
 */
function withSuggestions(input: HTMLInputElement, suggestionField: string): HTMLElement {
  const listEl = h('datalist', { id: uid('suggest') });
  input.setAttribute('list', listEl.id);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let seq = 0;
  const refresh = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const mine = ++seq;
      const parts = input.value.split(',');
      const last = parts.pop()!.trim();
      const head = parts.length ? `${parts.map((p) => p.trim()).join(', ')}, ` : '';
      try {
        const { logSuggestions } = await gql<{ logSuggestions: { value: string; count: number }[] }>(SUGGEST, {
          field: suggestionField,
          prefix: last.split('=')[0],
          workspaceId: workspaceArg(),
        });
        if (mine !== seq) return;
        const suffix = suggestionField === 'METADATA_KEY' ? '=' : '';
        listEl.replaceChildren(...logSuggestions.map((s) => h('option', { value: `${head}${s.value}${suffix}` }, `${s.value} (${s.count})`)));
      } catch {
        /* suggestions are a convenience: a failure leaves the field usable */
      }
    }, 150);
  };
  input.addEventListener('focus', refresh);
  input.addEventListener('input', refresh);
  return listEl;
}

export interface FilterForm {
  /** The fieldsets (time range and filters); the caller adds actions. */
  elements: HTMLElement[];
  state(): FilterState;
  set(state: FilterState): void;
}

export function filterFields(initial: FilterState, opts: { suggestions?: boolean } = {}): FilterForm {
  let range = timeRangePicker(initial.range);
  const input = (name: string, value: string, extra: Record<string, string> = {}) =>
    h('input', { type: 'text', name, value, autocomplete: 'off', spellcheck: 'false', ...extra });
  const model = input('model', initial.model, { placeholder: 'gpt-4o' });
  const provider = input('provider', initial.provider, { placeholder: 'openai' });
  const statusCode = input('statusCode', initial.statusCode, { inputmode: 'numeric', placeholder: '200' });
  const success = h(
    'select',
    { name: 'success', value: initial.success },
    h('option', { value: '' }, 'Any'),
    h('option', { value: 'true' }, 'Successful only'),
    h('option', { value: 'false' }, 'Failed only'),
  );
  const metadata = input('metadata', initial.metadata, { placeholder: 'env=prod' });
  const traceId = input('traceId', initial.traceId);
  const lists = opts.suggestions
    ? [
        withSuggestions(model, 'MODEL'),
        withSuggestions(provider, 'PROVIDER'),
        withSuggestions(statusCode, 'STATUS_CODE'),
        withSuggestions(metadata, 'METADATA_KEY'),
      ]
    : [];
  const rangeSlot = h('div', { class: 'range-slot' }, range.element);
  const fieldset = h(
    'fieldset',
    {},
    h('legend', {}, 'Filters'),
    h(
      'div',
      { class: 'filter-grid' },
      field('Model', model, 'starts with, any case; "quoted": exactly'),
      field('Provider', provider),
      field('Status code', statusCode),
      field('Success', success),
      field('Metadata', metadata, 'key=value, several separated by commas'),
      field('Trace ID', traceId),
    ),
    lists,
  );
  return {
    elements: [rangeSlot, fieldset],
    state: () => ({
      range: range.state(),
      model: model.value,
      provider: provider.value,
      statusCode: statusCode.value,
      success: success.value as FilterState['success'],
      metadata: metadata.value,
      traceId: traceId.value,
    }),
    set(s) {
      range = timeRangePicker(s.range);
      rangeSlot.replaceChildren(range.element);
      model.value = s.model;
      provider.value = s.provider;
      statusCode.value = s.statusCode;
      success.value = s.success;
      metadata.value = s.metadata;
      traceId.value = s.traceId;
    },
  };
}

/** A stored LogFilter (e.g. an export's) back into form state, for editing. */
export function filtersFromLogFilter(f: Record<string, unknown>): FilterState {
  const join = (v: unknown) => (Array.isArray(v) ? v.join(', ') : v === undefined || v === null ? '' : String(v));
  const from = typeof f.from === 'string' ? f.from : undefined;
  const to = typeof f.to === 'string' ? f.to : undefined;
  const meta =
    f.metadata && typeof f.metadata === 'object'
      ? Object.entries(f.metadata as Record<string, unknown>)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(', ')
      : '';
  return {
    range: from || to ? { preset: 'custom', from, to } : { preset: 'all' },
    model: f.modelPrefix ? join(f.modelPrefix) : f.model ? join([f.model].flat().map((m) => `"${String(m)}"`)) : '',
    provider: join(f.provider),
    statusCode: join(f.statusCode),
    success: f.isSuccess === true ? 'true' : f.isSuccess === false ? 'false' : '',
    metadata: meta,
    traceId: join(f.traceId),
  };
}
