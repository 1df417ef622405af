/** Hash routing: `#/page/rest…?query`. */

export interface Route {
  page: string;
  /** Path segments after the page, decoded. */
  rest: string[];
  query: URLSearchParams;
}

/** What a page returns: called when the page is left (to close subscriptions and timers). */
export type Cleanup = (() => void) | void;

export function parseRoute(): Route | null {
  const hash = location.hash;
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

/** Goes to a route; going to the current one renders it again. */
export function navigate(hash: string): void {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}

/** Changes the address without rendering again (e.g. the selected log), keeping Back meaningful. */
export function replaceHash(hash: string): void {
  if (location.hash !== hash) history.replaceState(null, '', hash);
}
