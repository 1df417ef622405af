import { ApiError, gql, subscribe, workspaceArg } from './api.js';
import { announce, clear, copyText, fmtCost, fmtDate, fmtInt, fmtMs, fmtShortDate, h, markSelected } from './dom.js';
import { filterFields, filtersFromQuery, filtersToQuery, toLogFilter, type FilterState } from './filters.js';
import { LOG_DETAIL_FIELDS, LOG_SUMMARY_FIELDS, logDetailView, statusBadge, type LogDetail, type LogSummary } from './log-detail.js';
import { buildHash, navigate, pushHash, replaceHash, type Cleanup, type Route } from './router.js';

/**
 * Logs: filters, sortable columns, paging, body search, a live tail and a detail panel. The whole view (filters,
 * order, rows loaded, search text, selected log) is the URL query, so it can be shared, reloaded and walked with
 * back/forward.
 */

const PAGE_SIZE = 25;
const MAX_ROWS = 1000;

const LIST = `query Logs($filter: LogFilter, $first: Int, $after: String, $workspaceId: ID, $sort: LogSort) {
  logs(filter: $filter, first: $first, after: $after, workspaceId: $workspaceId, sort: $sort) {
    totalCount
    edges { cursor node { ${LOG_SUMMARY_FIELDS} } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const SEARCH = `query Search($text: String!, $filter: LogFilter!, $workspaceId: ID) {
  searchLogBodies(text: $text, filter: $filter, first: 100, workspaceId: $workspaceId) { logs { ${LOG_SUMMARY_FIELDS} } scanned complete resumeBefore }
}`;
const TAIL = `subscription Tail($filter: LogFilter, $workspaceId: ID) { logsAdded(filter: $filter, workspaceId: $workspaceId) { ${LOG_SUMMARY_FIELDS} } }`;
export const LOG_QUERY = `query Log($id: ID!, $workspaceId: ID) { log(id: $id, workspaceId: $workspaceId) { ${LOG_DETAIL_FIELDS} } }`;

interface Page {
  logs: { totalCount: number; edges: { cursor: string; node: LogSummary }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}
interface SearchAnswer {
  searchLogBodies: { logs: LogSummary[]; scanned: number; complete: boolean; resumeBefore: string | null };
}

// ---- columns -------------------------------------------------------------------------------------------

type SortField = 'CREATED_AT' | 'COST' | 'TOTAL_TOKENS' | 'LATENCY';
interface Column {
  id: string;
  label: string;
  sort?: SortField;
  num?: boolean;
  cell: (log: LogSummary) => Node | string;
}

function traceCell(log: LogSummary): Node | string {
  if (!log.traceId) return '—';
  const id = log.traceId;
  return h(
    'span',
    { class: 'trace-cell' },
    h('a', { href: buildHash('traces', [id], { log: log.id }), class: 'trace-link', title: id, 'aria-label': `Open trace ${id}` }, id),
    h(
      'button',
      {
        type: 'button',
        class: 'btn btn-ghost btn-icon',
        title: 'Copy trace ID',
        'aria-label': `Copy trace ID ${id}`,
        onclick: () => void copyText(id, 'Trace ID copied'),
      },
      '⧉',
    ),
  );
}

const COLUMNS: Column[] = [
  { id: 'span', label: 'Span', cell: (l) => l.spanName ?? '—' },
  { id: 'model', label: 'Model', cell: (l) => l.model ?? '—' },
  { id: 'provider', label: 'Provider', cell: (l) => l.provider ?? '—' },
  { id: 'status', label: 'Status', cell: (l) => statusBadge(l) },
  { id: 'tokens', label: 'Tokens', sort: 'TOTAL_TOKENS', num: true, cell: (l) => fmtInt(l.totalTokens) },
  { id: 'cost', label: 'Cost', sort: 'COST', num: true, cell: (l) => fmtCost(l.cost, l.costCurrency) },
  { id: 'latency', label: 'Latency', sort: 'LATENCY', num: true, cell: (l) => fmtMs(l.responseTimeMs) },
  { id: 'trace', label: 'Trace', cell: traceCell },
];
const COLUMNS_KEY = 'logport.logs.hiddenColumns';

function hiddenColumns(): Set<string> {
  try {
    const v = JSON.parse(localStorage.getItem(COLUMNS_KEY) ?? '[]') as unknown;
    return new Set(Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  } catch {
    return new Set();
  }
}

// ---- the view in the URL -------------------------------------------------------------------------------

interface View {
  filters: FilterState;
  /** Body search text. */
  text: string;
  sort: { field: SortField; direction: 'ASC' | 'DESC' };
  /** Rows loaded (Load more), restored on reload. */
  rows: number;
  selected: string | null;
}

const SORTS: SortField[] = ['CREATED_AT', 'COST', 'TOTAL_TOKENS', 'LATENCY'];

function viewOf(route: Route): View {
  const q = route.query;
  const [field, dir] = (q.get('sort') ?? '').split(':');
  const sort = SORTS.includes(field as SortField)
    ? { field: field as SortField, direction: dir === 'asc' ? ('ASC' as const) : ('DESC' as const) }
    : { field: 'CREATED_AT' as const, direction: 'DESC' as const };
  const rows = Math.min(Math.max(Number(q.get('n')) || PAGE_SIZE, PAGE_SIZE), MAX_ROWS);
  return { filters: filtersFromQuery(q), text: q.get('q') ?? '', sort, rows, selected: q.get('log') ?? route.rest[0] ?? null };
}

function hashOf(v: View): string {
  const sort = v.sort.field === 'CREATED_AT' && v.sort.direction === 'DESC' ? undefined : `${v.sort.field}:${v.sort.direction.toLowerCase()}`;
  return buildHash('logs', [], {
    ...filtersToQuery(v.filters),
    q: v.text.trim() || undefined,
    sort,
    n: v.rows > PAGE_SIZE ? String(v.rows) : undefined,
    log: v.selected ?? undefined,
  });
}

/** What decides the rows shown: everything but the selection and how many rows are loaded. */
const listKey = (v: View) => hashOf({ ...v, selected: null, rows: PAGE_SIZE });

// ---- the page ------------------------------------------------------------------------------------------

export function renderLogs(main: HTMLElement, route: Route): Cleanup {
  let disposed = false;
  let view = viewOf(route);
  let cursor: string | null = null;
  let logs: LogSummary[] = [];
  let filter: Record<string, unknown> = {};
  let inflight: AbortController | undefined;
  let stopTail: (() => void) | undefined;
  const hidden = hiddenColumns();

  const fields = filterFields(view.filters, { suggestions: true });
  const text = h('input', { type: 'search', name: 'q', value: view.text, autocomplete: 'off', spellcheck: 'false', placeholder: 'e.g. refund policy' });
  const formError = h('p', { class: 'error', role: 'alert' });
  formError.hidden = true;
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter logs', novalidate: true },
    fields.elements,
    h(
      'div',
      { class: 'field body-search' },
      h('label', { for: 'logs-body-search' }, 'Search in bodies'),
      text,
      h(
        'small',
        { class: 'hint', id: 'logs-body-search-hint' },
        'Reads the bodies of the chosen time range, newest first: stops at 100 matches, 20,000 logs or 5 seconds.',
      ),
    ),
    formError,
    h(
      'div',
      { class: 'form-actions' },
      h('button', { type: 'submit', class: 'btn btn-primary' }, 'Apply filters'),
      h('button', { type: 'button', class: 'btn', onclick: () => navigate('#/logs') }, 'Reset'),
    ),
  );
  text.id = 'logs-body-search';
  text.setAttribute('aria-describedby', 'logs-body-search-hint');

  const live = h('button', { type: 'button', class: 'btn', 'aria-pressed': 'false', title: 'Show new logs as they arrive' }, 'Live');
  const exportLink = h('a', { class: 'btn', href: '#/exports' }, 'Export this view');
  const columnsMenu = h('details', { class: 'menu' }, h('summary', { class: 'btn' }, 'Columns'));
  const loading = h('div', { class: 'loading', role: 'status' });
  loading.hidden = true;
  const summary = h('p', { class: 'summary', 'aria-live': 'polite' });
  const thead = h('thead');
  const tbody = h('tbody');
  const table = h('table', { class: 'table logs-table', 'aria-label': 'Logs' }, thead, tbody);
  const tableWrap = h('div', { class: 'table-wrap' }, table);
  const loadMore = h('button', { type: 'button', class: 'btn', 'data-action': 'load-more' }, 'Load more');
  loadMore.hidden = true;
  const searchOlder = h('button', { type: 'button', class: 'btn' }, 'Search older logs');
  searchOlder.hidden = true;
  const listError = h('p', { class: 'error', role: 'alert' });
  listError.hidden = true;
  const detail = h('aside', { class: 'detail-panel', 'aria-label': 'Log details' });
  detail.hidden = true;
  const split = h(
    'div',
    { class: 'split', id: 'logs-split' },
    h('section', { class: 'list-pane', 'aria-label': 'Log list' }, loading, summary, listError, tableWrap, h('div', { class: 'more' }, loadMore, searchOlder)),
    detail,
  );

  main.append(
    h(
      'header',
      { class: 'page-header' },
      h('div', {}, h('h1', { tabindex: -1 }, 'Logs'), h('p', { class: 'muted' }, 'Requests stored by Logport.')),
      h('div', { class: 'actions' }, live, exportLink, columnsMenu),
    ),
    form,
    split,
  );

  // ---- columns ----
  const visible = () => COLUMNS.filter((c) => !hidden.has(c.id));
  function renderColumnsMenu(): void {
    const boxes = COLUMNS.map((c) =>
      h(
        'label',
        { class: 'check' },
        h('input', {
          type: 'checkbox',
          checked: !hidden.has(c.id),
          onchange: (ev: Event) => {
            if ((ev.target as HTMLInputElement).checked) hidden.delete(c.id);
            else hidden.add(c.id);
            localStorage.setItem(COLUMNS_KEY, JSON.stringify([...hidden]));
            renderTable();
          },
        }),
        `${c.label} column`,
      ),
    );
    clear(columnsMenu, h('summary', { class: 'btn' }, 'Columns'), h('fieldset', { class: 'menu-body' }, h('legend', {}, 'Columns shown'), boxes));
  }

  function header(label: string, sortField?: SortField, num = false): HTMLTableCellElement {
    const searching = Boolean(view.text.trim());
    if (!sortField || searching) return h('th', { scope: 'col', class: num ? 'num' : '' }, label);
    const active = view.sort.field === sortField;
    const dir = active ? view.sort.direction : undefined;
    const next: View['sort'] = { field: sortField, direction: active && dir === 'DESC' ? 'ASC' : 'DESC' };
    return h(
      'th',
      { scope: 'col', class: num ? 'num' : '', 'aria-sort': active ? (dir === 'ASC' ? 'ascending' : 'descending') : 'none' },
      h(
        'button',
        { type: 'button', class: 'sort-button', onclick: () => navigate(hashOf({ ...view, sort: next, rows: PAGE_SIZE, selected: null })) },
        label,
        h('span', { 'aria-hidden': 'true', class: 'sort-mark' }, active ? (dir === 'ASC' ? ' ▲' : ' ▼') : ''),
      ),
    );
  }

  function row(log: LogSummary, fresh = false): HTMLTableRowElement {
    const open = h(
      'button',
      {
        type: 'button',
        class: 'link-button',
        'aria-label': `Open log from ${fmtDate(log.createdAt)}, ${log.spanName ?? log.model ?? 'unknown model'}, status ${log.statusCode}`,
      },
      h('time', { datetime: log.createdAt, title: fmtDate(log.createdAt) }, fmtShortDate(log.createdAt)),
    );
    open.addEventListener('click', () => select(log.id, true));
    const tr = h(
      'tr',
      { 'data-log-id': log.id, class: `${log.isSuccess ? '' : 'row-error'}${fresh ? ' row-new' : ''}` },
      h('td', {}, open),
      visible().map((c) => h('td', { class: c.num ? 'num' : '', 'data-col': c.id }, c.cell(log))),
    );
    tr.addEventListener('click', (ev) => {
      if ((ev.target as Element).closest('a, button')) return;
      select(log.id, false);
    });
    return tr;
  }

  function renderTable(): void {
    const cols = visible();
    clear(
      thead,
      h(
        'tr',
        {},
        header('Time', 'CREATED_AT'),
        cols.map((c) => header(c.label, c.sort, c.num)),
      ),
    );
    tbody.replaceChildren(...logs.map((l) => row(l)));
    markSelected(tbody.rows, view.selected);
    table.setAttribute('aria-label', view.text.trim() ? 'Logs whose bodies match the search, newest first' : `Logs, ${sortText()}`);
  }

  function sortText(): string {
    const names: Record<SortField, string> = { CREATED_AT: 'time', COST: 'cost', TOTAL_TOKENS: 'tokens', LATENCY: 'latency' };
    if (view.sort.field === 'CREATED_AT') return view.sort.direction === 'DESC' ? 'newest first' : 'oldest first';
    return `by ${names[view.sort.field]}, ${view.sort.direction === 'DESC' ? 'highest' : 'lowest'} first`;
  }

  // ---- detail ----
  let detailSeq = 0;
  function showDetail(on: boolean): void {
    detail.hidden = !on;
    split.classList.toggle('has-detail', on);
    document.body.classList.toggle('sheet-open', on);
  }

  function closeDetail(): void {
    const id = view.selected;
    view = { ...view, selected: null };
    pushHash(hashOf(view));
    markSelected(tbody.rows, null);
    clear(detail);
    showDetail(false);
    if (id) tbody.querySelector<HTMLElement>(`tr[data-log-id="${CSS.escape(id)}"] button`)?.focus();
  }

  function select(id: string, focusPanel: boolean): void {
    view = { ...view, selected: id };
    pushHash(hashOf(view));
    void openDetail(id, focusPanel);
  }

  async function openDetail(id: string, focusPanel: boolean): Promise<void> {
    const seq = ++detailSeq;
    markSelected(tbody.rows, id);
    showDetail(true);
    clear(detail, h('p', { class: 'muted', role: 'status' }, 'Loading log…'));
    try {
      const { log } = await gql<{ log: LogDetail | null }>(LOG_QUERY, { id, workspaceId: workspaceArg() });
      if (disposed || seq !== detailSeq) return;
      if (!log) {
        clear(detail, h('p', { class: 'error' }, 'This log no longer exists.'), h('button', { type: 'button', class: 'btn', onclick: closeDetail }, 'Close'));
        return;
      }
      clear(detail, logDetailView(log, { onClose: closeDetail }));
      if (focusPanel) detail.querySelector<HTMLElement>('h2')?.focus();
    } catch (err) {
      if (seq !== detailSeq) return;
      clear(detail, h('p', { class: 'error', role: 'alert' }, `Could not load the log: ${err instanceof Error ? err.message : String(err)}`));
    }
  }

  const onKey = (ev: KeyboardEvent) => {
    if (ev.key !== 'Escape' || detail.hidden) return;
    if ((ev.target as Element | null)?.closest?.('dialog, details[open]')) return;
    ev.preventDefault();
    closeDetail();
  };
  document.addEventListener('keydown', onKey);

  // ---- loading ----
  function setLoading(on: boolean, label = 'Loading logs…'): void {
    loading.hidden = !on;
    tableWrap.classList.toggle('is-stale', on);
    table.setAttribute('aria-busy', String(on));
    if (on) {
      clear(
        loading,
        h('span', { class: 'spinner', 'aria-hidden': 'true' }),
        label,
        h('button', { type: 'button', class: 'btn btn-small', onclick: () => inflight?.abort() }, 'Cancel'),
      );
    }
  }

  function begin(): AbortController {
    inflight?.abort();
    const c = new AbortController();
    inflight = c;
    listError.hidden = true;
    return c;
  }

  function failed(err: unknown, c: AbortController, what: string): void {
    if (disposed || c !== inflight) return;
    setLoading(false);
    if (err instanceof ApiError && err.code === 'ABORTED') {
      summary.textContent = `${summary.textContent ? `${summary.textContent} ` : ''}(loading cancelled: these rows are from before)`;
      announce('Loading cancelled.');
      return;
    }
    listError.textContent = `Could not ${what}: ${err instanceof Error ? err.message : String(err)}`;
    listError.hidden = false;
  }

  async function fetchList(reset: boolean, count = PAGE_SIZE): Promise<void> {
    const c = begin();
    setLoading(true);
    loadMore.disabled = true;
    try {
      const sort = view.sort.field === 'CREATED_AT' && view.sort.direction === 'DESC' ? null : view.sort;
      const { logs: page } = await gql<Page>(
        LIST,
        { filter, first: count, after: reset ? null : cursor, workspaceId: workspaceArg(), sort },
        undefined,
        c.signal,
      );
      if (disposed || c !== inflight) return;
      setLoading(false);
      const fresh = page.edges.map((e) => e.node);
      logs = reset ? fresh : [...logs, ...fresh];
      cursor = page.pageInfo.endCursor;
      if (reset) renderTable();
      else {
        tbody.append(...fresh.map((l) => row(l)));
        markSelected(tbody.rows, view.selected);
      }
      loadMore.hidden = !page.pageInfo.hasNextPage || logs.length >= MAX_ROWS;
      searchOlder.hidden = true;
      table.hidden = logs.length === 0;
      const text = logs.length === 0 ? 'No logs match these filters.' : `Showing ${fmtInt(logs.length)} of ${fmtInt(page.totalCount)} logs`;
      summary.textContent = text;
      if (!reset) announce(`Loaded ${fresh.length} more logs. ${text}.`);
      if (view.rows !== Math.max(logs.length, PAGE_SIZE) && !reset) {
        view = { ...view, rows: logs.length };
        replaceHash(hashOf(view));
      }
    } catch (err) {
      failed(err, c, 'load logs');
    } finally {
      loadMore.disabled = false;
    }
  }

  async function fetchSearch(): Promise<void> {
    const c = begin();
    loadMore.hidden = true;
    searchOlder.hidden = true;
    if (!filter.from) {
      logs = [];
      renderTable();
      table.hidden = true;
      summary.textContent = '';
      listError.textContent = 'Choose a time range (not “All time”) to search in bodies: the search reads every log of the range.';
      listError.hidden = false;
      return;
    }
    setLoading(true, `Searching bodies for “${view.text.trim()}”…`);
    try {
      const { searchLogBodies: r } = await gql<SearchAnswer>(SEARCH, { text: view.text.trim(), filter, workspaceId: workspaceArg() }, undefined, c.signal);
      if (disposed || c !== inflight) return;
      setLoading(false);
      logs = r.logs;
      renderTable();
      table.hidden = logs.length === 0;
      const found = logs.length === 0 ? 'No bodies contain' : `${fmtInt(logs.length)} log${logs.length === 1 ? '' : 's'} with`;
      const how = r.complete
        ? `searched all ${fmtInt(r.scanned)} logs of the range`
        : `searched the newest ${fmtInt(r.scanned)} logs of the range, then stopped`;
      summary.textContent = `${found} “${view.text.trim()}” in ${logs.length === 0 ? 'their bodies' : 'the request or response'}: ${how}.`;
      if (r.resumeBefore) {
        searchOlder.hidden = false;
        searchOlder.onclick = () =>
          navigate(
            hashOf({ ...view, filters: { ...view.filters, range: { preset: 'custom', from: String(filter.from), to: r.resumeBefore! } }, selected: null }),
          );
      }
    } catch (err) {
      failed(err, c, 'search');
    }
  }

  // ---- live tail ----
  function setLive(on: boolean): void {
    stopTail?.();
    stopTail = undefined;
    live.setAttribute('aria-pressed', String(on));
    live.textContent = on ? 'Live: on' : 'Live';
    if (!on) return;
    const liveFilter = { ...filter };
    stopTail = subscribe<{ logsAdded: LogSummary[] }>(
      TAIL,
      { filter: liveFilter, workspaceId: workspaceArg() },
      {
        next: ({ logsAdded }) => {
          if (disposed) return;
          const newest = [...logsAdded].reverse();
          logs = [...newest, ...logs];
          tbody.prepend(...newest.map((l) => row(l, true)));
          table.hidden = false;
          summary.textContent = `Live: ${fmtInt(logs.length)} logs shown, newest first`;
          announce(`${logsAdded.length} new log${logsAdded.length === 1 ? '' : 's'}.`);
        },
        error: (e) => {
          listError.textContent = `Live updates stopped: ${e.message}`;
          listError.hidden = false;
          setLive(false);
        },
      },
    );
  }
  live.addEventListener('click', () => {
    const on = live.getAttribute('aria-pressed') !== 'true';
    if (on && (view.text.trim() || view.sort.field !== 'CREATED_AT' || view.sort.direction !== 'DESC')) {
      // New logs belong at the top only in newest-first order.
      navigate(hashOf({ ...view, text: '', sort: { field: 'CREATED_AT', direction: 'DESC' }, rows: PAGE_SIZE, selected: null }));
      queueMicrotask(() => setLive(true));
      return;
    }
    setLive(on);
  });

  // ---- applying a view ----
  function load(): void {
    formError.hidden = true;
    try {
      filter = toLogFilter(view.filters);
    } catch (err) {
      formError.textContent = err instanceof Error ? err.message : String(err);
      formError.hidden = false;
      return;
    }
    exportLink.href = buildHash('exports', [], { new: '1', ...filtersToQuery(view.filters) });
    cursor = null;
    renderColumnsMenu();
    if (live.getAttribute('aria-pressed') === 'true') setLive(true);
    if (view.text.trim()) void fetchSearch();
    else void fetchList(true, view.rows);
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const next: View = { ...view, filters: fields.state(), text: text.value, rows: PAGE_SIZE, selected: view.selected };
    try {
      toLogFilter(next.filters);
    } catch (err) {
      formError.textContent = err instanceof Error ? err.message : String(err);
      formError.hidden = false;
      return;
    }
    const hash = hashOf(next);
    if (hash === location.hash) {
      view = next;
      load(); // the same view again: refresh it
    } else navigate(hash);
  });
  loadMore.addEventListener('click', () => {
    // Keep keyboard focus in the table: the first newly loaded row.
    const before = tbody.rows.length;
    void fetchList(false).then(() => tbody.rows[before]?.querySelector<HTMLElement>('button')?.focus());
  });

  table.hidden = true;
  renderTable();
  load();
  if (view.selected) void openDetail(view.selected, false);

  return {
    update(next: Route) {
      const v = viewOf(next);
      if (listKey(v) !== listKey(view)) {
        fields.set(v.filters);
        text.value = v.text;
        view = v;
        load();
      } else view = { ...view, selected: v.selected };
      if (v.selected && (detail.hidden || detail.querySelector('article')?.getAttribute('data-log-id') !== v.selected)) void openDetail(v.selected, false);
      else if (!v.selected && !detail.hidden) {
        markSelected(tbody.rows, null);
        clear(detail);
        showDetail(false);
      }
      return true;
    },
    dispose() {
      disposed = true;
      inflight?.abort();
      stopTail?.();
      document.removeEventListener('keydown', onKey);
      document.body.classList.remove('sheet-open');
    },
  };
}
