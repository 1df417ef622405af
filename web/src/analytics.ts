import { ApiError, gql, workspaceArg } from './api.js';
import { announce, clear, field, fmtCost, fmtInt, fmtMs, fmtShortDate, h } from './dom.js';
import { chartCard, type ChartSeries, type TimeChart } from './charts.js';
import { filterFields, filtersFromQuery, filtersToQuery, toLogFilter, type FilterState } from './filters.js';
import { buildHash, navigate, replaceHash, type Cleanup, type Route } from './router.js';
import { topTable, type GroupList, type TopColumn } from './top-table.js';

/**
 * Analytics: requests, cost, tokens, latency and errors over time, and the top models, users and values of a
 * metadata key, for a time range and the Logs page's filters. Every bar, point and row opens the Logs page on
 * the logs behind it. The view is the URL query, like the Logs page's.
 */

const TOP = 10;
/** Analytics read a bounded range; a week when the address names none. */
const DEFAULT_RANGE = '7d';

const QUERY = `query Analytics($filter: LogFilter!, $workspaceId: ID) {
  analytics(filter: $filter, workspaceId: $workspaceId) {
    requests: graph(name: "requests")
    cost: graph(name: "cost")
    tokens: graph(name: "tokens")
    latency: graph(name: "latency")
    errors: graph(name: "errors/stacks")
    errorCodes: graph(name: "errors/status-codes")
    models: group(by: "ai-models", pageSize: ${TOP})
    users: group(by: "users", pageSize: ${TOP})
  }
}`;
const METADATA_QUERY = `query AnalyticsMetadata($filter: LogFilter!, $workspaceId: ID, $key: String!) {
  analytics(filter: $filter, workspaceId: $workspaceId) { values: group(by: "metadata", metadataKey: $key, pageSize: ${TOP}) }
}`;

// Portkey's response shapes (see src/domain/analytics/analytics-graphs.ts and analytics-service.ts).
interface Graph<S, P> {
  summary: S;
  data_points: (P & { timestamp: string })[];
}
interface Answer {
  analytics: {
    requests: Graph<{ total: number }, { total: number }>;
    cost: Graph<{ total: number; avg: number }, { total: number }>;
    tokens: Graph<{ total: number; avg: number }, { total: number }>;
    latency: Graph<{ p50: number; p90: number; p99: number }, { p50: number; p90: number; p99: number }>;
    errors: Graph<{ total: number }, { stats: { response_status_code: number; count: number }[] }>;
    errorCodes: Graph<{ total_errors: number }, { status_code: number; count: number }>;
    models: GroupList<{ ai_model: string | null; requests: string; cost: string }>;
    users: GroupList<{ user: string; requests: string; cost: string }>;
  };
}
interface MetadataAnswer {
  analytics: { values: GroupList<{ metadata_value: string; requests: number; cost: number; avg_tokens: number }> };
}

interface View {
  filters: FilterState;
  /** The metadata key whose top values are listed. */
  key: string;
}

function viewOf(route: Route): View {
  const q = route.query;
  const filters = filtersFromQuery(q);
  if (!q.has('range') && !q.has('from') && !q.has('to')) filters.range = { preset: DEFAULT_RANGE };
  return { filters, key: q.get('key') ?? '' };
}

function hashOf(v: View): string {
  // "All time" is written out: without a range the page shows the default week.
  return buildHash('analytics', [], {
    ...filtersToQuery(v.filters),
    range: v.filters.range.preset === 'all' ? 'all' : filtersToQuery(v.filters).range,
    key: v.key.trim(),
  });
}

/** The filters as an analytics LogFilter: both bounds are required, a preset ends now. */
function analyticsFilter(f: FilterState): Record<string, unknown> & { from: string; to: string } {
  // One "now" for both ends, so "Last hour" spans exactly an hour (and gets minute buckets).
  const now = Date.now();
  const filter = toLogFilter(f, now);
  if (!filter.from) throw new Error('Choose a time range with a start (not “All time”): analytics read a bounded range.');
  return { ...filter, from: String(filter.from), to: typeof filter.to === 'string' ? filter.to : new Date(now).toISOString() };
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Mirrors the server's bucketSizeFor: minutes up to an hour, hours up to two days, days beyond. */
function bucketMsFor(from: string, to: string): number {
  const span = Date.parse(to) - Date.parse(from);
  return span <= HOUR ? MINUTE : span <= 2 * DAY ? HOUR : DAY;
}

const bucketName = (ms: number) => (ms === MINUTE ? 'minute' : ms === HOUR ? 'hour' : 'day');
const COLORS = { main: '#3b6fe0', p50: '#2f9e67', p90: '#d08a00', p99: '#c2410c' };
/** Error codes, lowest first: warm, distinct colours (red for the first, usually a 4xx or the only 5xx). */
const ERROR_COLORS = ['#c62828', '#ef6c00', '#8e24aa', '#ad1457', '#6d4c41', '#f9a825'];
const plural = (n: number, one: string, many = `${one}s`) => `${fmtInt(n)} ${n === 1 ? one : many}`;
const fmtCount = (v: number) => (Math.abs(v) >= 10_000 ? `${Math.round(v / 1000)}k` : fmtInt(Math.round(v * 100) / 100));

interface ChartSpec {
  title: string;
  kind: 'bars' | 'lines' | 'stacked';
  series: ChartSeries[];
  summary: string;
  format: (v: number) => string;
  /** Extra filters for the logs behind a bucket (failed ones for the errors chart). */
  logs?: Partial<FilterState>;
}

export function renderAnalytics(main: HTMLElement, route: Route): Cleanup {
  let disposed = false;
  let view = viewOf(route);
  let inflight: AbortController | undefined;
  let metaInflight: AbortController | undefined;
  let charts: TimeChart[] = [];
  replaceHash(hashOf(view));

  const fields = filterFields(view.filters, { suggestions: true });
  const keyInput = h('input', { type: 'text', name: 'key', value: view.key, autocomplete: 'off', spellcheck: 'false', placeholder: 'team' });
  const formError = h('p', { class: 'error', role: 'alert' });
  formError.hidden = true;
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter analytics', novalidate: true },
    fields.elements,
    h('div', { class: 'analytics-key' }, field('Metadata key', keyInput, 'Its most frequent values are listed below.')),
    formError,
    h(
      'div',
      { class: 'form-actions' },
      h('button', { type: 'submit', class: 'btn btn-primary' }, 'Apply filters'),
      h('button', { type: 'button', class: 'btn', onclick: () => navigate('#/analytics') }, 'Reset'),
    ),
  );
  const loading = h('div', { class: 'loading', role: 'status' });
  loading.hidden = true;
  const loadError = h('p', { class: 'error', role: 'alert' });
  loadError.hidden = true;
  const summary = h('p', { class: 'summary', 'aria-live': 'polite' });
  const chartsEl = h('div', { class: 'chart-grid' });
  const topsEl = h('div', { class: 'chart-grid' });
  const metaSlot = h('section', { class: 'card top-card', 'aria-labelledby': 'top-meta-title' });
  const results = h('div', { class: 'analytics-results' }, chartsEl, topsEl);

  main.append(
    h(
      'header',
      { class: 'page-header' },
      h(
        'div',
        {},
        h('h1', { tabindex: -1 }, 'Analytics'),
        h('p', { class: 'muted' }, 'Requests, cost, tokens, latency and errors over time. Click a bar, a point or a row to see its logs.'),
      ),
    ),
    form,
    loading,
    loadError,
    summary,
    results,
  );

  /** The Logs page on the logs of this view, narrowed further. */
  const logsHash = (extra: Partial<FilterState>) => buildHash('logs', [], filtersToQuery({ ...view.filters, ...extra }));
  const withMetadata = (pair: string) => (view.filters.metadata.trim() ? `${view.filters.metadata.trim()}, ${pair}` : pair);

  function setLoading(on: boolean): void {
    loading.hidden = !on;
    results.classList.toggle('is-stale', on);
    results.setAttribute('aria-busy', String(on));
    if (on)
      clear(
        loading,
        h('span', { class: 'spinner', 'aria-hidden': 'true' }),
        'Loading analytics…',
        h('button', { type: 'button', class: 'btn btn-small', onclick: () => inflight?.abort() }, 'Cancel'),
      );
  }

  function destroyCharts(): void {
    for (const c of charts) c.destroy();
    charts = [];
  }

  // ---- charts ----
  function card(spec: ChartSpec, times: number[], bucketMs: number, filter: { from: string; to: string }): HTMLElement {
    const { element, chart } = chartCard({
      ...spec,
      times,
      bucketMs,
      unit: bucketName(bucketMs),
      // The logs of bucket i, cut to the chosen range (the first bucket may start before it).
      hrefOf: (i) => {
        const from = new Date(Math.max(times[i]!, Date.parse(filter.from))).toISOString();
        const to = new Date(Math.min(times[i]! + bucketMs - 1, Date.parse(filter.to))).toISOString();
        return logsHash({ ...spec.logs, range: { preset: 'custom', from, to } });
      },
    });
    charts.push(chart);
    return element;
  }

  function chartSpecs(a: Answer['analytics']): ChartSpec[] {
    // Percentiles of an empty bucket are reported as 0: a gap says "no requests" truthfully.
    const empty = a.requests.data_points.map((p) => p.total === 0);
    const pct = (k: 'p50' | 'p90' | 'p99') => a.latency.data_points.map((p, i) => (empty[i] ? null : p[k]));
    const codes = [...new Set(a.errors.data_points.flatMap((p) => p.stats.map((s) => s.response_status_code)))].sort((x, y) => x - y);
    const byCode = a.errorCodes.data_points.map((p) => `${fmtInt(p.count)} × ${p.status_code}`).join(', ');
    return [
      {
        title: 'Requests',
        kind: 'bars',
        series: [{ label: 'Requests', values: a.requests.data_points.map((p) => p.total), color: COLORS.main }],
        summary: `Total: ${plural(a.requests.summary.total, 'request')}.`,
        format: fmtCount,
      },
      {
        title: 'Cost',
        kind: 'bars',
        series: [{ label: 'Cost', values: a.cost.data_points.map((p) => p.total), color: COLORS.main }],
        summary: `Total: ${fmtCost(a.cost.summary.total)}, ${fmtCost(a.cost.summary.avg)} per request on average.`,
        format: (v) => fmtCost(v),
      },
      {
        title: 'Tokens',
        kind: 'bars',
        series: [{ label: 'Tokens', values: a.tokens.data_points.map((p) => p.total), color: COLORS.main }],
        summary: `Total: ${plural(a.tokens.summary.total, 'token')}, ${fmtInt(Math.round(a.tokens.summary.avg))} per request on average.`,
        format: fmtCount,
      },
      {
        title: 'Latency',
        kind: 'lines',
        series: [
          { label: 'p50', values: pct('p50'), color: COLORS.p50 },
          { label: 'p90', values: pct('p90'), color: COLORS.p90 },
          { label: 'p99', values: pct('p99'), color: COLORS.p99 },
        ],
        summary: a.requests.summary.total
          ? `Whole range: p50 ${fmtMs(a.latency.summary.p50)}, p90 ${fmtMs(a.latency.summary.p90)}, p99 ${fmtMs(a.latency.summary.p99)}.`
          : 'No requests in this range.',
        format: fmtMs,
      },
      {
        title: 'Errors by status code',
        kind: 'stacked',
        series: codes.length
          ? codes.map((code, k) => ({
              label: String(code),
              values: a.errors.data_points.map((p) => p.stats.find((s) => s.response_status_code === code)?.count ?? 0),
              color: ERROR_COLORS[k % ERROR_COLORS.length]!,
            }))
          : [{ label: 'Errors', values: a.errors.data_points.map(() => 0), color: ERROR_COLORS[0]! }],
        summary: a.errorCodes.summary.total_errors ? `Total: ${plural(a.errorCodes.summary.total_errors, 'error')} (${byCode}).` : 'No errors.',
        format: fmtCount,
        logs: { success: 'false' },
      },
    ];
  }

  // ---- top lists ----
  const requestsCol = <R extends { requests: string | number }>(): TopColumn<R> => ({ label: 'Requests', num: true, cell: (r) => fmtInt(Number(r.requests)) });
  const costCol = <R extends { cost: string | number }>(): TopColumn<R> => ({ label: 'Cost', num: true, cell: (r) => fmtCost(Number(r.cost)) });

  function renderTops(a: Answer['analytics']): void {
    clear(
      topsEl,
      h(
        'section',
        { class: 'card top-card', 'aria-labelledby': 'top-models-title' },
        topTable({
          title: 'Top models',
          id: 'top-models-title',
          what: 'Model',
          list: a.models,
          name: (r) => r.ai_model,
          // Quoted: this exact model, not every model starting with its name.
          hrefOf: (m) => logsHash({ model: `"${m}"` }),
          cols: [requestsCol(), costCol()],
          emptyText: 'No requests in this range.',
        }),
      ),
      h(
        'section',
        { class: 'card top-card', 'aria-labelledby': 'top-users-title' },
        topTable({
          title: 'Top users',
          id: 'top-users-title',
          what: 'User',
          list: a.users,
          name: (r) => r.user,
          hrefOf: (u) => logsHash({ metadata: withMetadata(`_user=${u}`) }),
          cols: [requestsCol(), costCol()],
          emptyText: 'No requests name a user (metadata key _user).',
        }),
      ),
      metaSlot,
    );
  }

  async function loadMetadata(filter: Record<string, unknown>): Promise<void> {
    metaInflight?.abort();
    const key = view.key.trim();
    const title = key ? `Top values of ${key}` : 'Top metadata values';
    if (!key) {
      clear(metaSlot, h('h2', { id: 'top-meta-title' }, title), h('p', { class: 'muted' }, 'Enter a metadata key above to list its most frequent values.'));
      return;
    }
    const c = new AbortController();
    metaInflight = c;
    clear(metaSlot, h('h2', { id: 'top-meta-title' }, title), h('p', { class: 'muted', role: 'status' }, 'Loading…'));
    try {
      const { analytics } = await gql<MetadataAnswer>(METADATA_QUERY, { filter, workspaceId: workspaceArg(), key }, undefined, c.signal);
      if (disposed || c !== metaInflight) return;
      clear(
        metaSlot,
        topTable({
          title,
          id: 'top-meta-title',
          what: 'Value',
          list: analytics.values,
          name: (r) => r.metadata_value,
          hrefOf: (v) => logsHash({ metadata: withMetadata(`${key}=${v}`) }),
          cols: [requestsCol(), costCol(), { label: 'Avg tokens', num: true, cell: (r) => fmtInt(Math.round(r.avg_tokens)) }],
          emptyText: `No logs of this range have the metadata key ${key}.`,
        }),
      );
    } catch (err) {
      if (disposed || c !== metaInflight || (err instanceof ApiError && err.code === 'ABORTED')) return;
      clear(metaSlot, h('h2', { id: 'top-meta-title' }, title), h('p', { class: 'error', role: 'alert' }, `Could not load the values: ${errText(err)}`));
    }
  }

  const errText = (err: unknown) => (err instanceof Error ? err.message : String(err));

  // ---- loading a view ----
  async function load(): Promise<void> {
    formError.hidden = true;
    loadError.hidden = true;
    let filter: ReturnType<typeof analyticsFilter>;
    try {
      filter = analyticsFilter(view.filters);
    } catch (err) {
      formError.textContent = errText(err);
      formError.hidden = false;
      return;
    }
    inflight?.abort();
    const c = new AbortController();
    inflight = c;
    setLoading(true);
    void loadMetadata(filter);
    try {
      const { analytics: a } = await gql<Answer>(QUERY, { filter, workspaceId: workspaceArg() }, undefined, c.signal);
      if (disposed || c !== inflight) return;
      setLoading(false);
      const bucketMs = bucketMsFor(filter.from, filter.to);
      const times = a.requests.data_points.map((p) => Date.parse(p.timestamp));
      destroyCharts();
      clear(
        chartsEl,
        chartSpecs(a).map((spec) => card(spec, times, bucketMs, filter)),
      );
      renderTops(a);
      const text = `${plural(a.requests.summary.total, 'request')} from ${fmtShortDate(filter.from)} to ${fmtShortDate(filter.to)}, by ${bucketName(bucketMs)}.`;
      summary.textContent = text;
      announce(`Analytics loaded: ${text}`);
    } catch (err) {
      if (disposed || c !== inflight) return;
      setLoading(false);
      if (err instanceof ApiError && err.code === 'ABORTED') {
        summary.textContent = `${summary.textContent ? `${summary.textContent} ` : ''}(loading cancelled: these figures are from before)`;
        announce('Loading cancelled.');
        return;
      }
      loadError.textContent = `Could not load analytics: ${errText(err)}`;
      loadError.hidden = false;
    }
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const next: View = { filters: fields.state(), key: keyInput.value };
    try {
      analyticsFilter(next.filters);
    } catch (err) {
      formError.textContent = errText(err);
      formError.hidden = false;
      return;
    }
    const hash = hashOf(next);
    if (hash !== location.hash)
      navigate(hash); // update() takes it from there
    else {
      view = next;
      void load(); // the same view again: refresh it (a preset moves to now)
    }
  });

  void load();

  return {
    update(next: Route) {
      const v = viewOf(next);
      replaceHash(hashOf(v)); // the default range written out, as on the first render
      const onlyKey = hashOf({ ...v, key: '' }) === hashOf({ ...view, key: '' });
      fields.set(v.filters);
      keyInput.value = v.key;
      view = v;
      if (!onlyKey) void load();
      else {
        try {
          void loadMetadata(analyticsFilter(v.filters));
        } catch {
          /* the form error is already shown */
        }
      }
      return true;
    },
    dispose() {
      disposed = true;
      inflight?.abort();
      metaInflight?.abort();
      destroyCharts();
    },
  };
}
