import { gql, workspaceArg } from './api.js';
import { announce, clear, field, fmtCost, fmtDate, fmtInt, fmtMs, fmtShortDate, h, markSelected } from './dom.js';
import { LOG_DETAIL_FIELDS, LOG_SUMMARY_FIELDS, logDetailView, statusBadge, type LogDetail, type LogSummary } from './log-detail.js';
import { navigate, replaceHash, type Cleanup, type Route } from './router.js';
import { timeRangePicker, type TimeRangeValue } from './time-range.js';

/** Logs: newest first, filters, cursor paging and a detail panel. */

const PAGE_SIZE = 25;

const LIST = `query Logs($filter: LogFilter, $first: Int, $after: String, $workspaceId: ID) {
  logs(filter: $filter, first: $first, after: $after, workspaceId: $workspaceId) {
    totalCount
    edges { cursor node { ${LOG_SUMMARY_FIELDS} } }
    pageInfo { hasNextPage endCursor }
  }
}`;
export const LOG_QUERY = `query Log($id: ID!, $workspaceId: ID) { log(id: $id, workspaceId: $workspaceId) { ${LOG_DETAIL_FIELDS} } }`;

interface Page {
  logs: { totalCount: number; edges: { cursor: string; node: LogSummary }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

interface FilterState {
  range: TimeRangeValue;
  model: string;
  provider: string;
  statusCode: string;
  success: '' | 'true' | 'false';
  metadata: string;
  traceId: string;
}

const EMPTY: FilterState = { range: { preset: 'all' }, model: '', provider: '', statusCode: '', success: '', metadata: '', traceId: '' };
/** Kept while the tab lives, so coming back from a trace keeps the filters. */
let saved: FilterState = { ...EMPTY };

const list = (s: string) =>
  s
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

/** The form's state as a LogFilter; throws with a message for the user on bad input. */
function toFilter(state: FilterState, range: { from?: string; to?: string }): Record<string, unknown> {
  const filter: Record<string, unknown> = { ...range };
  if (list(state.model).length) filter.model = list(state.model);
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

export function renderLogs(main: HTMLElement, route: Route): Cleanup {
  let disposed = false;
  let cursor: string | null = null;
  let loaded = 0;
  let selectedId: string | null = route.rest[0] ?? null;
  let requestSeq = 0;
  let filter: Record<string, unknown> = {};

  const range = timeRangePicker(saved.range);
  const input = (name: string, value: string, extra: Record<string, string> = {}) =>
    h('input', { type: 'text', name, value, autocomplete: 'off', spellcheck: 'false', ...extra });
  const model = input('model', saved.model, { placeholder: 'gpt-4o' });
  const provider = input('provider', saved.provider, { placeholder: 'openai' });
  const statusCode = input('statusCode', saved.statusCode, { inputmode: 'numeric', placeholder: '200' });
  const success = h(
    'select',
    { name: 'success', value: saved.success },
    h('option', { value: '' }, 'Any'),
    h('option', { value: 'true' }, 'Successful only'),
    h('option', { value: 'false' }, 'Failed only'),
  );
  const metadata = input('metadata', saved.metadata, { placeholder: 'env=prod' });
  const traceId = input('traceId', saved.traceId);
  const formError = h('p', { class: 'error', role: 'alert' });
  formError.hidden = true;

  const state = (): FilterState => ({
    range: range.state(),
    model: model.value,
    provider: provider.value,
    statusCode: statusCode.value,
    success: success.value as FilterState['success'],
    metadata: metadata.value,
    traceId: traceId.value,
  });

  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter logs', novalidate: true },
    range.element,
    h(
      'fieldset',
      {},
      h('legend', {}, 'Filters'),
      h(
        'div',
        { class: 'filter-grid' },
        field('Model', model),
        field('Provider', provider),
        field('Status code', statusCode),
        field('Success', success),
        field('Metadata', metadata, 'key=value, several separated by commas'),
        field('Trace ID', traceId),
      ),
    ),
    formError,
    h(
      'div',
      { class: 'form-actions' },
      h('button', { type: 'submit', class: 'btn btn-primary' }, 'Apply filters'),
      h(
        'button',
        {
          type: 'button',
          class: 'btn',
          onclick: () => {
            saved = { ...EMPTY };
            navigate('#/logs');
          },
        },
        'Reset',
      ),
    ),
  );

  const summary = h('p', { class: 'summary', 'aria-live': 'polite' });
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'table logs-table', 'aria-label': 'Logs, newest first' },
    h('thead', {}, h('tr', {}, ['Time', 'Model', 'Provider', 'Status', 'Tokens', 'Cost', 'Latency', 'Trace'].map((c) => h('th', { scope: 'col' }, c)))),
    tbody,
  );
  const loadMore = h('button', { type: 'button', class: 'btn', 'data-action': 'load-more' }, 'Load more');
  loadMore.hidden = true;
  const listError = h('p', { class: 'error', role: 'alert' });
  listError.hidden = true;
  const detail = h('aside', { class: 'detail-panel', 'aria-label': 'Log details' });
  detail.hidden = true;

  main.append(
    h('header', { class: 'page-header' }, h('div', {}, h('h1', { tabindex: -1 }, 'Logs'), h('p', { class: 'muted' }, 'Requests stored by Logport, newest first.'))),
    form,
    h(
      'div',
      { class: 'split', id: 'logs-split' },
      h('section', { class: 'list-pane', 'aria-label': 'Log list' }, summary, listError, h('div', { class: 'table-wrap' }, table), h('div', { class: 'more' }, loadMore)),
      detail,
    ),
  );

  function row(log: LogSummary): HTMLTableRowElement {
    const open = h(
      'button',
      { type: 'button', class: 'link-button', 'aria-label': `Open log from ${fmtDate(log.createdAt)}, ${log.model ?? 'unknown model'}, status ${log.statusCode}` },
      h('time', { datetime: log.createdAt, title: fmtDate(log.createdAt) }, fmtShortDate(log.createdAt)),
    );
    open.addEventListener('click', () => void select(log.id, true));
    const tr = h(
      'tr',
      { 'data-log-id': log.id, class: log.isSuccess ? '' : 'row-error' },
      h('td', {}, open),
      h('td', {}, log.model ?? '—'),
      h('td', {}, log.provider ?? '—'),
      h('td', {}, statusBadge(log)),
      h('td', { class: 'num' }, fmtInt(log.totalTokens)),
      h('td', { class: 'num' }, fmtCost(log.cost, log.costCurrency)),
      h('td', { class: 'num' }, fmtMs(log.responseTimeMs)),
      h(
        'td',
        {},
        log.traceId
          ? h('a', { href: `#/traces/${encodeURIComponent(log.traceId)}?log=${encodeURIComponent(log.id)}`, class: 'trace-link', title: log.traceId, 'aria-label': `Open trace ${log.traceId}` }, log.traceId)
          : '—',
      ),
    );
    tr.addEventListener('click', (ev) => {
      if ((ev.target as Element).closest('a, button')) return;
      void select(log.id, false);
    });
    return tr;
  }

  function showDetail(on: boolean): void {
    detail.hidden = !on;
    detail.parentElement?.classList.toggle('has-detail', on);
  }

  async function select(id: string, focusPanel: boolean): Promise<void> {
    selectedId = id;
    replaceHash(`#/logs/${encodeURIComponent(id)}`);
    markSelected(tbody.rows, id);
    showDetail(true);
    clear(detail, h('p', { class: 'muted' }, 'Loading…'));
    try {
      const { log } = await gql<{ log: LogDetail | null }>(LOG_QUERY, { id, workspaceId: workspaceArg() });
      if (disposed || selectedId !== id) return;
      if (!log) {
        clear(detail, h('p', { class: 'error' }, 'This log no longer exists.'));
        return;
      }
      clear(
        detail,
        logDetailView(log, {
          onClose: () => {
            selectedId = null;
            replaceHash('#/logs');
            markSelected(tbody.rows, null);
            clear(detail);
            showDetail(false);
            tbody.querySelector<HTMLElement>(`tr[data-log-id="${CSS.escape(id)}"] button`)?.focus();
          },
        }),
      );
      if (focusPanel) detail.querySelector<HTMLElement>('h2')?.focus();
    } catch (err) {
      clear(detail, h('p', { class: 'error', role: 'alert' }, `Could not load the log: ${err instanceof Error ? err.message : String(err)}`));
    }
  }

  async function fetchPage(reset: boolean): Promise<void> {
    const seq = ++requestSeq;
    listError.hidden = true;
    loadMore.disabled = true;
    try {
      const { logs } = await gql<Page>(LIST, { filter, first: PAGE_SIZE, after: reset ? null : cursor, workspaceId: workspaceArg() });
      if (disposed || seq !== requestSeq) return;
      if (reset) {
        tbody.replaceChildren();
        loaded = 0;
      }
      for (const e of logs.edges) tbody.append(row(e.node));
      markSelected(tbody.rows, selectedId);
      loaded += logs.edges.length;
      cursor = logs.pageInfo.endCursor;
      loadMore.hidden = !logs.pageInfo.hasNextPage;
      table.hidden = loaded === 0;
      const text = loaded === 0 ? 'No logs match these filters.' : `Showing ${fmtInt(loaded)} of ${fmtInt(logs.totalCount)} logs`;
      summary.textContent = text;
      if (!reset) announce(`Loaded ${logs.edges.length} more logs. ${text}.`);
    } catch (err) {
      if (seq !== requestSeq) return;
      listError.textContent = `Could not load logs: ${err instanceof Error ? err.message : String(err)}`;
      listError.hidden = false;
    } finally {
      loadMore.disabled = false;
    }
  }

  function apply(): void {
    formError.hidden = true;
    try {
      const s = state();
      filter = toFilter(s, range.value());
      saved = s;
    } catch (err) {
      formError.textContent = err instanceof Error ? err.message : String(err);
      formError.hidden = false;
      return;
    }
    cursor = null;
    void fetchPage(true);
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    apply();
  });
  loadMore.addEventListener('click', () => {
    // Keep keyboard focus in the table: the first newly loaded row.
    const before = tbody.rows.length;
    void fetchPage(false).then(() => tbody.rows[before]?.querySelector<HTMLElement>('button')?.focus());
  });

  table.hidden = true;
  apply();
  if (selectedId) void select(selectedId, false);
  return () => {
    disposed = true;
  };
}
