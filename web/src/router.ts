/** Hash routing: `#/page/rest…?query`. The whole view (filters, order, selection) lives in the query. */

export interface Route {
  page: string;
  /** Path segments after the page, decoded. */
  rest: string[];
  query: URLSearchParams;
}

/**
 * What a page returns: a function called when the page is left (to close subscriptions and timers), or a
 * handle whose `update` takes a new route of the same page in place (back/forward between views of one page)
 * and returns false to be rendered again from scratch.
 */
export type Cleanup = (() => void) | void | PageHandle;
export interface PageHandle {
  dispose?: () => void;
  update?: (route: Route) => boolean;
}

export function parseRoute(hash = location.hash): Route | null {
  if (hash && !hash.startsWith('#/')) return null; // in-page anchors (the skip link)
  const [path = '', search = ''] = hash.slice(2).split('?');
  const parts = path
    .split('/')
    .filter(Boolean)
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
  return { page: parts[0] ?? '', rest: parts.slice(1), query: new URLSearchParams(search) };
}

/** `#/page/rest?query` from parts; empty query values are left out so URLs stay short. */
export function buildHash(page: string, rest: string[] = [], query: Record<string, string | undefined> | URLSearchParams = {}): string {
  const q = new URLSearchParams();
  const entries = query instanceof URLSearchParams ? [...query] : Object.entries(query);
  for (const [k, v] of entries) if (v !== undefined && v !== '') q.set(k, v);
  const path = [page, ...rest].map(encodeURIComponent).join('/');
  const qs = q.toString();
  return `#/${path}${qs ? `?${qs}` : ''}`;
}

/** Goes to a route (a new history entry); going to the current one renders it again. */
export function navigate(hash: string): void {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}

/** Changes the address without rendering again, replacing the current history entry. */
export function replaceHash(hash: string): void {
  if (location.hash !== hash) history.replaceState(null, '', hash);
}

/** Adds a history entry for a view change the page already shows (e.g. the selected log), without rendering. */
export function pushHash(hash: string): void {
  if (location.hash !== hash) history.pushState(null, '', hash);
}
