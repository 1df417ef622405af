import { fmtInt, h } from './dom.js';
import { navigate } from './router.js';

/** A "top N" table of an analytics group list (Portkey's `{ total, data }`), each row leading to its logs. */

export interface GroupList<R> {
  total: number;
  data: R[];
}

export interface TopColumn<R> {
  label: string;
  num?: boolean;
  cell: (r: R) => string;
}

export interface TopList<R> {
  title: string;
  /** The heading's id: it names the table. */
  id: string;
  /** Header of the first column: what the rows are. */
  what: string;
  list: GroupList<R>;
  /** The row's name; null for "none" (e.g. logs without a model), which leads nowhere. */
  name: (r: R) => string | null;
  /** Where a row leads. */
  hrefOf: (value: string) => string;
  cols: TopColumn<R>[];
  emptyText: string;
}

/** The heading, a note when the list is cut, and the table (or the empty text). */
export function topTable<R>({ title, id, what, list, name, hrefOf, cols, emptyText }: TopList<R>): HTMLElement[] {
  if (!list.data.length) return [h('h2', { id }, title), h('p', { class: 'muted' }, emptyText)];
  const note = list.total > list.data.length ? h('p', { class: 'muted small' }, `The ${list.data.length} most frequent of ${fmtInt(list.total)}.`) : null;
  const rows = list.data.map((r) => {
    const value = name(r);
    const href = value === null ? null : hrefOf(value);
    const tr = h(
      'tr',
      { class: href ? 'clickable' : '' },
      h('th', { scope: 'row' }, href ? h('a', { href }, value) : h('span', { class: 'muted' }, '(none)')),
      cols.map((c) => h('td', { class: c.num ? 'num' : '' }, c.cell(r))),
    );
    // The whole row is a target for the mouse; the link is the keyboard's and screen readers'.
    if (href)
      tr.addEventListener('click', (ev) => {
        if (!(ev.target as Element).closest('a')) navigate(href);
      });
    return tr;
  });
  const table = h(
    'table',
    { class: 'table top-table', 'aria-labelledby': id },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, what),
        cols.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : '' }, c.label)),
      ),
    ),
    h('tbody', {}, rows),
  );
  const wrap = h('div', { class: 'table-wrap' }, table);
  return note ? [h('h2', { id }, title), note, wrap] : [h('h2', { id }, title), wrap];
}
