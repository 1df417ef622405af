/** A tiny element builder: no framework, no innerHTML with data (text always goes in as text nodes). */

export type Child = Node | string | number | null | undefined | false | Child[];
type Handler = (ev: Event) => void;
export type Attrs = Record<string, string | number | boolean | null | undefined | Handler>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false || k === 'value') continue;
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2).toLowerCase(), v);
    } else if (k === 'class') {
      el.className = String(v);
    } else if (k === 'checked' && 'checked' in el) {
      (el as HTMLInputElement).checked = Boolean(v);
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  // After the children, so a <select> has its options when its value is set.
  if (attrs.value !== undefined && attrs.value !== null && 'value' in el) (el as HTMLInputElement).value = String(attrs.value);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(parent, c);
    else parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function clear(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

let idCounter = 0;
/** A unique id for label/aria wiring. */
export function uid(prefix: string): string {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** A labelled form control: `<div class="field"><label for>…</label>control hint?</div>`. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLDivElement {
  control.id ||= uid('f');
  const hintEl = hint ? h('small', { class: 'hint', id: `${control.id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintEl);
}

/** Says something to screen readers (and the tests) without moving focus. */
export function announce(message: string): void {
  const el = document.getElementById('announcer');
  if (!el) return;
  el.textContent = '';
  // A fresh text node after a tick makes repeated messages announced again.
  setTimeout(() => (el.textContent = message), 30);
}

export function fmtDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Without the year when it is this year's. */
export function fmtShortDate(iso: string): string {
  const full = fmtDate(iso);
  return full.startsWith(`${new Date().getFullYear()}-`) ? full.slice(5) : full;
}

export function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.round(ms)} ms`;
}

export function fmtInt(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString('en-US');
}

/** Cost is stored in cents. */
export function fmtCost(cents: number | null | undefined, currency?: string | null): string {
  if (cents === null || cents === undefined) return '—';
  const amount = cents / 100;
  const digits = amount !== 0 && Math.abs(amount) < 0.01 ? 6 : 4;
  const cur = currency && currency.toUpperCase() !== 'USD' ? ` ${currency.toUpperCase()}` : '';
  return `${currency && currency.toUpperCase() !== 'USD' ? '' : '$'}${amount.toFixed(digits)}${cur}`;
}

export function pretty(value: unknown): string {
  if (typeof value === 'string') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2) ?? 'null';
}

/** Marks the row whose data-log-id is `id` as the one shown in the detail panel (null: none). */
export function markSelected(rows: Iterable<HTMLTableRowElement>, id: string | null): void {
  for (const tr of rows) {
    const on = id !== null && tr.dataset.logId === id;
    tr.classList.toggle('selected', on);
    const button = tr.querySelector('button');
    if (on) button?.setAttribute('aria-current', 'true');
    else button?.removeAttribute('aria-current');
  }
}

/** Copies text to the clipboard and says so; falls back to a hidden textarea where the Clipboard API is unavailable. */
export async function copyText(text: string, done = 'Copied'): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = h('textarea', { class: 'visually-hidden', 'aria-hidden': 'true' });
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  announce(done);
}
