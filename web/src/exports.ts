import { ApiError, gql, subscribe, workspaceArg } from './api.js';
import { announce, clear, field, fmtDate, fmtInt, h } from './dom.js';
import { DEFAULT_EXPORT_FIELDS, EXPORT_FIELDS } from './export-fields.js';
import { EMPTY_FILTERS, filterFields, filtersFromLogFilter, filtersFromQuery, toLogFilter, type FilterState } from './filters.js';
import { replaceHash, type Cleanup, type Route } from './router.js';

/** Exports: the list with live status, and the "Request Data" form that creates a draft. */

type Status = 'DRAFT' | 'IN_PROGRESS' | 'SUCCESS' | 'FAILED' | 'STOPPED';

interface LogExport {
  id: string;
  workspaceId: string;
  status: Status;
  total: number;
  processed: number;
  progress: number;
  description: string;
  filters: Record<string, unknown>;
  requestedData: string[];
  format: 'JSONL' | 'CSV';
  compression: 'NONE' | 'GZIP';
  createdAt: string;
  updatedAt: string;
  error: string | null;
  downloadUrl: string | null;
}

const FIELDS = `id workspaceId status total processed progress description filters requestedData format compression createdAt updatedAt error downloadUrl`;
const LIST = `query LogExports($workspaceId: ID) { logExports(workspaceId: $workspaceId) { ${FIELDS} } }`;
const ONE = `query LogExport($id: ID!) { logExport(id: $id) { ${FIELDS} } }`;
const CREATE = `mutation CreateExport($input: CreateExportInput!) { createExport(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation UpdateExport($id: ID!, $input: UpdateExportInput!) { updateExport(id: $id, input: $input) { ${FIELDS} } }`;
const START = `mutation StartExport($id: ID!) { startExport(id: $id) { ${FIELDS} } }`;
const CANCEL = `mutation CancelExport($id: ID!) { cancelExport(id: $id) { ${FIELDS} } }`;
const DELETE = `mutation DeleteExport($id: ID!) { deleteExport(id: $id) }`;
const WATCH = `subscription ExportStatus($id: ID!) { exportStatusChanged(id: $id) { ${FIELDS} } }`;

const STATUS_LABEL: Record<Status, string> = {
  DRAFT: 'Draft',
  IN_PROGRESS: 'In progress',
  SUCCESS: 'Success',
  FAILED: 'Failed',
  STOPPED: 'Stopped',
};

/** Signed links live for an hour by default; older ones are refreshed before use. */
const LINK_MAX_AGE_MS = 30 * 60_000;

function rangeText(filters: Record<string, unknown>): string {
  const from = typeof filters.from === 'string' ? fmtDate(filters.from) : null;
  const to = typeof filters.to === 'string' ? fmtDate(filters.to) : null;
  if (!from && !to) return 'All time';
  return `${from ?? 'start'} → ${to ?? 'now'}`;
}

/** The filters other than time, in a line: "model gpt-4o · env=prod". */
function filterText(filters: Record<string, unknown>): string {
  const f = filtersFromLogFilter(filters);
  const parts = [
    f.model && `model ${f.model}`,
    f.provider && `provider ${f.provider}`,
    f.statusCode && `status ${f.statusCode}`,
    f.success && (f.success === 'true' ? 'successful' : 'failed'),
    f.metadata,
    f.traceId && `trace ${f.traceId}`,
  ].filter(Boolean);
  return parts.join(' · ');
}

export function renderExports(main: HTMLElement, route: Route): Cleanup {
  const exportsById = new Map<string, LogExport>();
  const rows = new Map<string, HTMLTableRowElement>();
  const watches = new Map<string, () => void>();
  const linkFetchedAt = new Map<string, number>();
  let order: string[] = [];
  let disposed = false;

  const notice = h('div', { class: 'notice-area', role: 'status', 'aria-live': 'polite' });
  const tbody = h('tbody');
  const empty = h('p', { class: 'empty' }, 'No exports yet. Use “Request Data” to export logs.');
  const listError = h('p', { class: 'error', role: 'alert' });
  listError.hidden = true;
  const table = h(
    'table',
    { class: 'table exports-table', 'aria-label': 'Exports' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Requested', 'Description', 'Time range', 'Fields', 'Format', 'Logs', 'Status', 'Actions'].map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    tbody,
  );

  const requestButton = h('button', { type: 'button', class: 'btn btn-primary', 'aria-haspopup': 'dialog' }, 'Request Data');
  const refreshButton = h('button', { type: 'button', class: 'btn' }, 'Refresh');
  const dialog = requestDialog((saved, edited) => {
    upsert(saved, !edited);
    showNotice(
      edited
        ? `Export draft saved: ${fmtInt(saved.total)} matching log${saved.total === 1 ? '' : 's'}.`
        : `Export draft created: ${fmtInt(saved.total)} matching log${saved.total === 1 ? '' : 's'}. Press Start to run it.`,
    );
    rows.get(saved.id)?.querySelector<HTMLButtonElement>('button[data-action="start"]')?.focus();
  });
  requestButton.addEventListener('click', () => dialog.open(requestButton));
  refreshButton.addEventListener('click', () => void load());

  main.append(
    h(
      'header',
      { class: 'page-header' },
      h('div', {}, h('h1', { tabindex: -1 }, 'Exports'), h('p', { class: 'muted' }, 'Export logs to a JSONL or CSV file, then download it.')),
      h('div', { class: 'actions' }, refreshButton, requestButton),
    ),
    notice,
    listError,
    h('div', { class: 'table-wrap' }, table),
    empty,
    dialog.element,
  );

  function showNotice(message: string, kind: 'info' | 'error' = 'info'): void {
    clear(notice, h('p', { class: kind === 'error' ? 'error' : 'notice' }, message));
    announce(message);
  }

  function watch(id: string): void {
    if (watches.has(id) || disposed) return;
    const stop = subscribe<{ exportStatusChanged: LogExport }>(
      WATCH,
      { id },
      {
        next: (d) => upsert(d.exportStatusChanged),
        error: (e) => {
          watches.delete(id);
          showNotice(`Live status for export ${id} stopped: ${e.message}`, 'error');
        },
        done: () => watches.delete(id),
      },
    );
    watches.set(id, stop);
  }

  function upsert(e: LogExport, first = false): void {
    const before = exportsById.get(e.id);
    exportsById.set(e.id, e);
    if (e.downloadUrl && e.downloadUrl !== before?.downloadUrl) linkFetchedAt.set(e.id, Date.now());
    if (!order.includes(e.id)) order = first ? [e.id, ...order] : [...order, e.id];
    const row = exportRow(e);
    const old = rows.get(e.id);
    if (old) {
      const focused = old.contains(document.activeElement) ? (document.activeElement as HTMLElement) : null;
      old.replaceWith(row);
      if (focused) {
        const same = focused.dataset.action ? row.querySelector<HTMLElement>(`[data-action="${focused.dataset.action}"]`) : null;
        (same ?? row.querySelector<HTMLElement>('button, a') ?? row.querySelector<HTMLElement>('th'))?.focus();
      }
    } else if (first) {
      tbody.prepend(row);
    } else {
      tbody.append(row);
    }
    rows.set(e.id, row);
    empty.hidden = order.length > 0;
    table.hidden = order.length === 0;
    if (before && before.status !== e.status) announce(`Export ${e.description || e.id}: ${STATUS_LABEL[e.status]}`);
    if (e.status === 'IN_PROGRESS') watch(e.id);
  }

  async function act(e: LogExport, mutation: string, verb: string): Promise<void> {
    notice.replaceChildren();
    try {
      const data = await gql<Record<string, LogExport>>(mutation, { id: e.id });
      const updated = Object.values(data)[0]!;
      upsert(updated);
      if (updated.status === 'IN_PROGRESS' || updated.status === 'DRAFT') watch(updated.id);
    } catch (err) {
      showNotice(`Could not ${verb} the export: ${err instanceof Error ? err.message : String(err)}`, 'error');
      // The export may have moved on meanwhile (e.g. finished): show its real state.
      void gql<{ logExport: LogExport | null }>(ONE, { id: e.id })
        .then((d) => d.logExport && upsert(d.logExport))
        .catch(() => undefined);
    }
  }

  async function remove(e: LogExport, name: string): Promise<void> {
    if (!window.confirm(`Delete the export “${name}”? This cannot be undone.`)) return;
    notice.replaceChildren();
    try {
      await gql<{ deleteExport: string }>(DELETE, { id: e.id });
      rows.get(e.id)?.remove();
      rows.delete(e.id);
      exportsById.delete(e.id);
      order = order.filter((id) => id !== e.id);
      empty.hidden = order.length > 0;
      table.hidden = order.length === 0;
      showNotice(`Export “${name}” deleted.`);
      requestButton.focus();
    } catch (err) {
      showNotice(`Could not delete the export: ${err instanceof Error ? err.message : String(err)}`, 'error');
    }
  }

  async function download(e: LogExport, link: HTMLAnchorElement, ev: Event): Promise<void> {
    const fetched = linkFetchedAt.get(e.id) ?? 0;
    if (Date.now() - fetched < LINK_MAX_AGE_MS) return; // the link is fresh: let the browser follow it
    ev.preventDefault();
    try {
      const { logExport } = await gql<{ logExport: LogExport | null }>(ONE, { id: e.id });
      if (!logExport?.downloadUrl) throw new ApiError('The file is no longer available.', 'NOT_FOUND');
      upsert(logExport);
      const fresh = rows.get(e.id)?.querySelector<HTMLAnchorElement>('a[data-action="download"]');
      (fresh ?? link).click();
    } catch (err) {
      showNotice(`Could not download the export: ${err instanceof Error ? err.message : String(err)}`, 'error');
    }
  }

  function exportRow(e: LogExport): HTMLTableRowElement {
    const label = STATUS_LABEL[e.status];
    const statusCell = h(
      'td',
      { class: 'status-cell' },
      h('span', { class: `badge badge-${e.status.toLowerCase().replace('_', '-')}`, 'data-status': e.status }, label),
    );
    if (e.status === 'IN_PROGRESS') {
      const pct = Math.round(e.progress * 100);
      statusCell.append(
        h(
          'div',
          { class: 'progress' },
          h('progress', { max: 1, value: e.progress, 'aria-label': `Progress of export ${e.description || e.id}` }),
          h('span', { class: 'small muted' }, `${pct}% · ${fmtInt(e.processed)} / ${fmtInt(e.total)}`),
        ),
      );
    }
    if (e.status === 'FAILED' && e.error) statusCell.append(h('p', { class: 'error small export-error' }, e.error));
    const name = e.description || `Export ${e.id.slice(-8)}`;
    const actions: HTMLElement[] = [];
    const button = (text: string, action: string, onclick: () => void, cls = 'btn btn-small') =>
      h('button', { type: 'button', class: cls, 'data-action': action, 'aria-label': `${text} ${name}`, onclick }, text);
    if (e.status === 'DRAFT') actions.push(button('Start', 'start', () => void act(e, START, 'start'), 'btn btn-small btn-primary'));
    if (e.status === 'DRAFT' || e.status === 'FAILED' || e.status === 'STOPPED') {
      actions.push(button('Edit', 'edit', () => dialog.open(rows.get(e.id)?.querySelector('[data-action="edit"]') ?? requestButton, exportsById.get(e.id))));
      actions.push(button('Delete', 'delete', () => void remove(e, name), 'btn btn-small btn-danger'));
    }
    if (e.status === 'FAILED' || e.status === 'STOPPED')
      actions.push(button('Start Again', 'start-again', () => void act(e, START, 'start'), 'btn btn-small btn-primary'));
    if (e.status === 'IN_PROGRESS') actions.push(button('Cancel', 'cancel', () => void act(e, CANCEL, 'cancel'), 'btn btn-small btn-danger'));
    if (e.status === 'SUCCESS' && e.downloadUrl) {
      const link: HTMLAnchorElement = h(
        'a',
        { class: 'btn btn-small btn-primary', href: e.downloadUrl, download: '', 'data-action': 'download', 'aria-label': `Download ${name}` },
        'Download',
      );
      link.addEventListener('click', (ev) => void download(e, link, ev));
      actions.push(link);
    }
    const fieldsText = h(
      'details',
      { class: 'field-list' },
      h('summary', {}, `${e.requestedData.length} field${e.requestedData.length === 1 ? '' : 's'}`),
      h('p', { class: 'small' }, e.requestedData.join(', ')),
    );
    fieldsText.open = e.requestedData.length <= 6;
    const others = filterText(e.filters ?? {});
    return h(
      'tr',
      { 'data-export-id': e.id, 'data-status': e.status },
      h('td', {}, h('time', { datetime: e.createdAt }, fmtDate(e.createdAt))),
      h('th', { scope: 'row', tabindex: -1 }, name, h('br'), h('code', { class: 'small muted' }, e.id)),
      h('td', {}, rangeText(e.filters ?? {}), others ? h('p', { class: 'small muted' }, others) : null),
      h('td', {}, fieldsText),
      h('td', {}, `${e.format}${e.compression === 'GZIP' ? ' · gzip' : ''}`),
      h('td', { class: 'num' }, e.status === 'IN_PROGRESS' ? `${fmtInt(e.processed)} / ${fmtInt(e.total)}` : fmtInt(e.total)),
      statusCell,
      h('td', { class: 'actions-cell' }, actions),
    );
  }

  async function load(): Promise<void> {
    listError.hidden = true;
    try {
      const { logExports } = await gql<{ logExports: LogExport[] }>(LIST, { workspaceId: workspaceArg() });
      if (disposed) return;
      order = [];
      rows.clear();
      tbody.replaceChildren();
      for (const e of logExports) upsert(e);
      empty.hidden = order.length > 0;
      table.hidden = order.length === 0;
    } catch (err) {
      listError.textContent = `Could not load exports: ${err instanceof Error ? err.message : String(err)}`;
      listError.hidden = false;
    }
  }

  table.hidden = true;
  empty.hidden = true;
  void load();
  // "Export this view" from the Logs page: the form opens with that view's filters.
  if (route.query.get('new') === '1') {
    replaceHash('#/exports');
    dialog.open(requestButton, undefined, filtersFromQuery(route.query));
  }
  return () => {
    disposed = true;
    for (const stop of watches.values()) stop();
    watches.clear();
    dialog.element.close();
  };
}

/** The "Request Data" dialog: Time Range, Logs Limits, Requested Fields, format and compression. */
function requestDialog(onSaved: (e: LogExport, edited: boolean) => void): {
  element: HTMLDialogElement;
  open(opener: HTMLElement, editing?: LogExport, filters?: FilterState): void;
} {
  let opener: HTMLElement | null = null;
  let editing: LogExport | undefined;
  const filters = filterFields(EMPTY_FILTERS);
  const title = h('h2', { id: 'request-data-title' }, 'Request Data');
  const description = h('input', { type: 'text', name: 'description', maxlength: 200, autocomplete: 'off' });
  const limit = h('input', { type: 'number', name: 'limit', min: 1, step: 1, inputmode: 'numeric', placeholder: 'No limit' });
  const offset = h('input', { type: 'number', name: 'offset', min: 0, step: 1, inputmode: 'numeric', placeholder: '0' });
  const format = h(
    'select',
    { name: 'format', value: 'JSONL' },
    h('option', { value: 'JSONL' }, 'JSONL (one JSON object per line)'),
    h('option', { value: 'CSV' }, 'CSV'),
  );
  const compression = h('select', { name: 'compression', value: 'NONE' }, h('option', { value: 'NONE' }, 'None'), h('option', { value: 'GZIP' }, 'gzip (.gz)'));
  const error = h('p', { class: 'error', role: 'alert' });
  error.hidden = true;

  const boxes = EXPORT_FIELDS.map((f) =>
    h('input', { type: 'checkbox', name: 'requestedData', value: f.name, checked: DEFAULT_EXPORT_FIELDS.includes(f.name) }),
  );
  const fieldCount = h('span', { class: 'small muted', 'aria-live': 'polite' });
  const countSelected = () => {
    const n = boxes.filter((b) => b.checked).length;
    fieldCount.textContent = `${n} of ${boxes.length} selected`;
  };
  const setAll = (pick: (name: string) => boolean) => {
    boxes.forEach((b) => (b.checked = pick(b.value)));
    countSelected();
  };
  const fieldBox = (i: number) => {
    const f = EXPORT_FIELDS[i]!;
    const box = boxes[i]!;
    box.id = `export-field-${f.name.replace(/\W/g, '-')}`;
    box.addEventListener('change', countSelected);
    return h(
      'label',
      { class: 'check', for: box.id, title: f.description },
      box,
      h('span', {}, f.aliasOf ? h('code', {}, f.name) : f.label, f.aliasOf ? null : h('code', { class: 'small muted' }, ` ${f.name}`)),
    );
  };
  const current = EXPORT_FIELDS.map((f, i) => (f.aliasOf ? null : fieldBox(i)));
  const older = EXPORT_FIELDS.map((f, i) => (f.aliasOf ? fieldBox(i) : null));
  countSelected();

  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Request Export');
  const cancel = h('button', { type: 'button', class: 'btn' }, 'Cancel');

  const form = h(
    'form',
    { method: 'dialog', class: 'export-form', novalidate: true },
    h('header', { class: 'dialog-header' }, title),
    field('Description (optional)', description),
    filters.elements,
    h(
      'fieldset',
      {},
      h('legend', {}, 'Logs Limits'),
      h(
        'div',
        { class: 'row' },
        field('Maximum number of logs', limit, 'Newest first. Leave empty for every matching log.'),
        field('Custom offset', offset, 'Skip this many of the newest logs first.'),
      ),
    ),
    h(
      'fieldset',
      { class: 'fields-picker' },
      h('legend', {}, 'Requested Fields'),
      h(
        'div',
        { class: 'picker-tools' },
        h('button', { type: 'button', class: 'btn btn-small', onclick: () => setAll(() => true) }, 'Select all'),
        h('button', { type: 'button', class: 'btn btn-small', onclick: () => setAll((n) => DEFAULT_EXPORT_FIELDS.includes(n)) }, 'Defaults'),
        h('button', { type: 'button', class: 'btn btn-small', onclick: () => setAll(() => false) }, 'Clear'),
        fieldCount,
      ),
      h('div', { class: 'checks' }, current),
      h('details', {}, h('summary', {}, 'Older field names (aliases)'), h('div', { class: 'checks' }, older)),
    ),
    h('div', { class: 'row' }, field('Format', format), field('Compression', compression)),
    error,
    h('footer', { class: 'dialog-footer' }, cancel, submit),
  );
  const element = h('dialog', { class: 'dialog', 'aria-labelledby': 'request-data-title' }, form);

  const fail = (msg: string) => {
    error.textContent = msg;
    error.hidden = false;
  };
  const intOrUndefined = (input: HTMLInputElement, name: string, min: number): number | undefined => {
    if (input.value.trim() === '') return undefined;
    const n = Number(input.value);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number of at least ${min}.`);
    return n;
  };

  cancel.addEventListener('click', () => element.close());
  element.addEventListener('close', () => opener?.focus());
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.hidden = true;
    const requestedData = boxes.filter((b) => b.checked).map((b) => b.value);
    let input: Record<string, unknown>;
    try {
      if (requestedData.length === 0) throw new Error('Select at least one field to export.');
      input = {
        requestedData,
        filters: toLogFilter(filters.state()),
        format: format.value,
        compression: compression.value,
        ...((description.value.trim() || editing) && { description: description.value.trim() }),
        ...(workspaceArg() && !editing && { workspaceId: workspaceArg() }),
      };
      const l = intOrUndefined(limit, 'Maximum number of logs', 1);
      const o = intOrUndefined(offset, 'Custom offset', 0);
      if (l !== undefined) input.limit = l;
      if (o !== undefined) input.offset = o;
    } catch (err) {
      fail(err instanceof Error ? err.message : String(err));
      return;
    }
    const label = submit.textContent;
    submit.disabled = true;
    submit.textContent = 'Saving…';
    try {
      const saved = editing
        ? (await gql<{ updateExport: LogExport }>(UPDATE, { id: editing.id, input })).updateExport
        : (await gql<{ createExport: LogExport }>(CREATE, { input })).createExport;
      opener = null; // focus goes to the export's Start button instead
      element.close();
      onSaved(saved, Boolean(editing));
    } catch (err) {
      fail(`Could not ${editing ? 'save' : 'create'} the export: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      submit.disabled = false;
      submit.textContent = label;
    }
  });

  return {
    element,
    /** A new export (optionally with a view's filters), or `edit` an existing draft. */
    open(from, edit, initial) {
      opener = from;
      editing = edit;
      error.hidden = true;
      title.textContent = edit ? 'Edit export' : 'Request Data';
      submit.textContent = edit ? 'Save changes' : 'Request Export';
      filters.set(edit ? filtersFromLogFilter(edit.filters ?? {}) : (initial ?? EMPTY_FILTERS));
      if (edit) {
        description.value = edit.description;
        boxes.forEach((b) => (b.checked = edit.requestedData.includes(b.value)));
        format.value = edit.format;
        compression.value = edit.compression;
        countSelected();
      } else description.value = initial ? 'Logs view' : '';
      element.showModal();
      description.focus();
    },
  };
}
