import { ApiError, gql, workspaceArg } from './api.js';
import { announce, clear, field, fmtCost, fmtDate, fmtInt, fmtMs, fmtShortDate, h, markSelected } from './dom.js';
import { LOG_SUMMARY_FIELDS, logDetailView, statusBadge, type LogDetail, type LogSummary } from './log-detail.js';
import { LOG_QUERY } from './logs.js';
import { filterFields, filtersFromQuery, filtersToQuery, toLogFilter } from './filters.js';
import { buildHash, navigate, replaceHash, type Cleanup, type Route } from './router.js';

/** Traces: open one by id; the span tree with indentation, a time axis, durations and errors. */

const TRACE = `query Trace($traceId: ID!, $workspaceId: ID) { trace(traceId: $traceId, workspaceId: $workspaceId) { traceId spans { ${LOG_SUMMARY_FIELDS} } } }`;

interface SpanNode {
  log: LogSummary;
  depth: number;
  children: SpanNode[];
}

/** The tree from span ids; spans whose parent is not in the trace (or that have no span id) are roots. */
export function buildTree(spans: LogSummary[]): SpanNode[] {
  const byStart = [...spans].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  const bySpanId = new Map<string, SpanNode>();
  const nodes = byStart.map((log) => ({ log, depth: 0, children: [] as SpanNode[] }));
  for (const n of nodes) if (n.log.spanId && !bySpanId.has(n.log.spanId)) bySpanId.set(n.log.spanId, n);
  const roots: SpanNode[] = [];
  for (const n of nodes) {
    const parent = n.log.parentSpanId ? bySpanId.get(n.log.parentSpanId) : undefined;
    if (parent && parent !== n) parent.children.push(n);
    else roots.push(n);
  }
  // Depths by walking from the roots; anything unreachable (a parent cycle) becomes a root too.
  const seen = new Set<SpanNode>();
  const walk = (n: SpanNode, depth: number) => {
    seen.add(n);
    n.depth = depth;
    n.children = n.children.filter((c) => !seen.has(c));
    n.children.forEach((c) => walk(c, depth + 1));
  };
  roots.forEach((r) => walk(r, 0));
  for (const n of nodes) {
    if (!seen.has(n)) {
      roots.push(n);
      walk(n, 0);
    }
  }
  return roots;
}

function flatten(nodes: SpanNode[], out: SpanNode[] = []): SpanNode[] {
  for (const n of nodes) {
    out.push(n);
    flatten(n.children, out);
  }
  return out;
}

export function renderTraces(main: HTMLElement, route: Route): Cleanup {
  const traceId = route.rest[0];
  if (!traceId) return renderList(main, route);
  let disposed = false;
  let selected: string | null = route.query.get('log');

  const status = h('p', { class: 'muted', 'aria-live': 'polite' }, 'Loading trace…');
  const body = h('div', { class: 'split split-trace' });
  const detail = h('aside', { class: 'detail-panel', 'aria-label': 'Span details' }, h('p', { class: 'muted' }, 'Select a span to see its log.'));
  main.append(
    h(
      'header',
      { class: 'page-header' },
      h('div', {}, h('p', { class: 'crumbs' }, h('a', { href: '#/traces' }, 'Traces'), ' / '), h('h1', { tabindex: -1 }, 'Trace ', h('code', {}, traceId))),
      h('div', { class: 'actions' }, h('a', { class: 'btn', href: '#/logs' }, 'Back to logs')),
    ),
    status,
    body,
  );

  async function openLog(id: string, focus: boolean): Promise<void> {
    selected = id;
    replaceHash(`#/traces/${encodeURIComponent(traceId!)}?log=${encodeURIComponent(id)}`);
    markSelected(body.querySelectorAll<HTMLTableRowElement>('tr[data-log-id]'), id);
    clear(detail, h('p', { class: 'muted' }, 'Loading…'));
    try {
      const { log } = await gql<{ log: LogDetail | null }>(LOG_QUERY, { id, workspaceId: workspaceArg() });
      if (disposed || selected !== id) return;
      clear(detail, log ? logDetailView(log, { showTraceLink: false }) : h('p', { class: 'error' }, 'This log no longer exists.'));
      if (focus) detail.querySelector<HTMLElement>('h2')?.focus();
    } catch (err) {
      clear(detail, h('p', { class: 'error', role: 'alert' }, `Could not load the log: ${err instanceof Error ? err.message : String(err)}`));
    }
  }

  async function load(): Promise<void> {
    try {
      const { trace } = await gql<{ trace: { traceId: string; spans: LogSummary[] } | null }>(TRACE, { traceId, workspaceId: workspaceArg() });
      if (disposed) return;
      if (!trace || trace.spans.length === 0) {
        status.textContent = '';
        clear(body, h('p', { class: 'error', role: 'alert' }, `No logs with trace id “${traceId}” in this workspace.`));
        return;
      }
      const roots = buildTree(trace.spans);
      const rows = flatten(roots);
      const start = Math.min(...trace.spans.map((s) => Date.parse(s.createdAt)));
      const end = Math.max(...trace.spans.map((s) => Date.parse(s.createdAt) + (s.responseTimeMs ?? 0)));
      const total = Math.max(end - start, 1);
      const errors = trace.spans.filter((s) => !s.isSuccess).length;
      const cost = trace.spans.reduce((sum, s) => sum + (s.cost ?? 0), 0);
      const tokens = trace.spans.reduce((sum, s) => sum + (s.totalTokens ?? 0), 0);
      clear(
        status,
        `${rows.length} span${rows.length === 1 ? '' : 's'} · ${fmtMs(end - start)} · started ${fmtDate(new Date(start).toISOString())} · ${fmtInt(tokens)} tokens · ${fmtCost(cost)}`,
        errors ? h('strong', { class: 'error-text' }, ` · ${errors} error${errors === 1 ? '' : 's'}`) : null,
      );

      const tbody = h('tbody');
      for (const n of rows) {
        const s = n.log;
        const offset = Date.parse(s.createdAt) - start;
        const name = s.spanName ?? s.model ?? s.id;
        const open = h(
          'button',
          { type: 'button', class: 'link-button span-name', 'aria-label': `Open log of span ${name}, level ${n.depth + 1}${s.isSuccess ? '' : ', error'}` },
          name,
        );
        open.addEventListener('click', () => void openLog(s.id, true));
        const nameCell = h('td', { class: 'span-cell' }, h('span', { class: 'tree-guide', 'aria-hidden': 'true' }, n.depth > 0 ? '└ ' : ''), open);
        nameCell.style.setProperty('--depth', String(n.depth));
        const bar = h('span', { class: `bar${s.isSuccess ? '' : ' bar-error'}` });
        bar.style.left = `${(offset / total) * 100}%`;
        bar.style.width = `${Math.max(((s.responseTimeMs ?? 0) / total) * 100, 0.5)}%`;
        tbody.append(
          h(
            'tr',
            { 'data-log-id': s.id, 'data-depth': n.depth, class: s.isSuccess ? '' : 'row-error' },
            nameCell,
            h('td', {}, statusBadge(s)),
            h('td', { class: 'num' }, `+${fmtMs(offset)}`),
            h('td', { class: 'num' }, fmtMs(s.responseTimeMs)),
            h('td', { class: 'timeline', 'aria-hidden': 'true' }, h('span', { class: 'track' }, bar)),
          ),
        );
      }
      const table = h(
        'table',
        { class: 'table span-table', 'aria-label': 'Spans of the trace' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Span', 'Status', 'Start', 'Duration', 'Timeline'].map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        tbody,
      );
      clear(body, h('section', { class: 'list-pane', 'aria-label': 'Span tree' }, h('div', { class: 'table-wrap' }, table)), detail);
      if (selected && trace.spans.some((s) => s.id === selected)) void openLog(selected, false);
    } catch (err) {
      status.textContent = '';
      clear(body, h('p', { class: 'error', role: 'alert' }, `Could not load the trace: ${err instanceof Error ? err.message : String(err)}`));
    }
  }

  void load();
  return () => {
    disposed = true;
  };
}

const TRACES = `query Traces($filter: LogFilter, $first: Int, $after: String, $workspaceId: ID) {
  traces(filter: $filter, first: $first, after: $after, workspaceId: $workspaceId) {
    edges { node { traceId rootLogId rootSpanName startedAt durationMs spanCount totalTokens cost errorCount } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface TraceSummary {
  traceId: string;
  rootLogId: string;
  rootSpanName: string | null;
  startedAt: string;
  durationMs: number;
  spanCount: number;
  totalTokens: number;
  cost: number;
  errorCount: number;
}

/** Recent traces (newest root first) with the logs explorer's filters, paging, and a box to open one by id. */
function renderList(main: HTMLElement, route: Route): Cleanup {
  let disposed = false;
  let cursor: string | null = null;
  let shown = 0;
  let inflight: AbortController | undefined;
  const fields = filterFields(filtersFromQuery(route.query), { suggestions: true });
  const formError = h('p', { class: 'error', role: 'alert' });
  formError.hidden = true;
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter traces', novalidate: true },
    fields.elements,
    formError,
    h(
      'div',
      { class: 'form-actions' },
      h('button', { type: 'submit', class: 'btn btn-primary' }, 'Apply filters'),
      h('button', { type: 'button', class: 'btn', onclick: () => navigate('#/traces') }, 'Reset'),
    ),
  );
  const idInput = h('input', { type: 'text', name: 'traceId', autocomplete: 'off', spellcheck: 'false', required: true });
  const opener = h(
    'form',
    {
      class: 'inline-form',
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        const v = idInput.value.trim();
        if (v) navigate(buildHash('traces', [v]));
        else idInput.focus();
      },
    },
    field('Open trace by ID', idInput),
    h('button', { type: 'submit', class: 'btn' }, 'Open trace'),
  );
  const loading = h('div', { class: 'loading', role: 'status' });
  loading.hidden = true;
  const summary = h('p', { class: 'summary', 'aria-live': 'polite' });
  const listError = h('p', { class: 'error', role: 'alert' });
  listError.hidden = true;
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'table traces-table', 'aria-label': 'Traces, newest first' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Root span', 'Started', 'Duration', 'Spans', 'Tokens', 'Cost', 'Errors'].map((c, i) => h('th', { scope: 'col', class: i >= 2 ? 'num' : '' }, c)),
      ),
    ),
    tbody,
  );
  const wrap = h('div', { class: 'table-wrap' }, table);
  const more = h('button', { type: 'button', class: 'btn' }, 'Load more');
  more.hidden = true;
  main.append(
    h(
      'header',
      { class: 'page-header' },
      h('div', {}, h('h1', { tabindex: -1 }, 'Traces'), h('p', { class: 'muted' }, 'Recent traces, newest first; each opens its span tree.')),
      opener,
    ),
    form,
    h('section', { class: 'list-pane', 'aria-label': 'Trace list' }, loading, summary, listError, wrap, h('div', { class: 'more' }, more)),
  );

  let filter: Record<string, unknown> = {};
  try {
    filter = toLogFilter(fields.state());
  } catch (err) {
    formError.textContent = err instanceof Error ? err.message : String(err);
    formError.hidden = false;
  }

  function row(t: TraceSummary): HTMLTableRowElement {
    return h(
      'tr',
      { 'data-trace-id': t.traceId, class: t.errorCount ? 'row-error' : '' },
      h('td', {}, h('a', { href: buildHash('traces', [t.traceId], { log: t.rootLogId }), title: t.traceId }, t.rootSpanName ?? t.traceId)),
      h('td', {}, h('time', { datetime: t.startedAt, title: fmtDate(t.startedAt) }, fmtShortDate(t.startedAt))),
      h('td', { class: 'num' }, fmtMs(t.durationMs)),
      h('td', { class: 'num' }, fmtInt(t.spanCount)),
      h('td', { class: 'num' }, fmtInt(t.totalTokens)),
      h('td', { class: 'num' }, fmtCost(t.cost)),
      h('td', { class: 'num' }, t.errorCount ? h('strong', { class: 'error-text' }, fmtInt(t.errorCount)) : '0'),
    );
  }

  async function fetchPage(reset: boolean): Promise<void> {
    inflight?.abort();
    const c = new AbortController();
    inflight = c;
    loading.hidden = false;
    clear(
      loading,
      h('span', { class: 'spinner', 'aria-hidden': 'true' }),
      'Loading traces…',
      h('button', { type: 'button', class: 'btn btn-small', onclick: () => c.abort() }, 'Cancel'),
    );
    wrap.classList.add('is-stale');
    listError.hidden = true;
    try {
      const { traces } = await gql<{ traces: { edges: { node: TraceSummary }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>(
        TRACES,
        { filter, first: 25, after: reset ? null : cursor, workspaceId: workspaceArg() },
        undefined,
        c.signal,
      );
      if (disposed || c !== inflight) return;
      if (reset) {
        tbody.replaceChildren();
        shown = 0;
      }
      tbody.append(...traces.edges.map((e) => row(e.node)));
      shown += traces.edges.length;
      cursor = traces.pageInfo.endCursor;
      more.hidden = !traces.pageInfo.hasNextPage;
      table.hidden = shown === 0;
      summary.textContent =
        shown === 0
          ? 'No traces match these filters.'
          : `Showing ${fmtInt(shown)} trace${shown === 1 ? '' : 's'}${traces.pageInfo.hasNextPage ? '; more are older' : ''}`;
      if (!reset) announce(summary.textContent);
    } catch (err) {
      if (disposed || c !== inflight) return;
      const cancelled = err instanceof ApiError && err.code === 'ABORTED';
      listError.textContent = cancelled ? 'Loading cancelled.' : `Could not load traces: ${err instanceof Error ? err.message : String(err)}`;
      listError.hidden = false;
    } finally {
      if (c === inflight) {
        loading.hidden = true;
        wrap.classList.remove('is-stale');
      }
    }
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    formError.hidden = true;
    try {
      toLogFilter(fields.state());
    } catch (err) {
      formError.textContent = err instanceof Error ? err.message : String(err);
      formError.hidden = false;
      return;
    }
    navigate(buildHash('traces', [], filtersToQuery(fields.state())));
  });
  more.addEventListener('click', () => void fetchPage(false));
  table.hidden = true;
  if (formError.hidden) void fetchPage(true);
  return () => {
    disposed = true;
    inflight?.abort();
  };
}
