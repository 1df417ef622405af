import './styles.css';
import { renderAnalytics } from './analytics.js';
import { clearSession, loadSession, setUnauthenticatedHandler, setWorkspace } from './api.js';
import { clear, field, h } from './dom.js';
import { renderExports } from './exports.js';
import { renderLogs } from './logs.js';
import { renderSignIn } from './signin.js';
import { renderTraces } from './traces.js';
import { buildHash, navigate, parseRoute, type Cleanup, type PageHandle } from './router.js';

/** The shell: hash routing, the sidebar and the session controls. Pages render into <main>. */

const NAV = [
  { page: 'logs', label: 'Logs' },
  { page: 'traces', label: 'Traces' },
  { page: 'analytics', label: 'Analytics' },
  { page: 'exports', label: 'Exports' },
];

const root = document.getElementById('app')!;
let cleanup: Cleanup;
let currentPage = '';

/** Where to go after signing in: the page that was asked for, never the sign-in page itself. */
function nextAfterSignIn(): string {
  const next = parseRoute()?.query.get('next');
  return next?.startsWith('#/') && !next.startsWith('#/signin') ? next : '#/logs';
}

function dispose(c: Cleanup): void {
  if (typeof c === 'function') c();
  else c?.dispose?.();
}

function sidebar(active: string): HTMLElement {
  const session = loadSession()!;
  const isOrg = session.viewer.kind === 'ORGANISATION';
  const wsInput = h('input', { type: 'text', name: 'workspace', value: session.workspace, autocomplete: 'off', spellcheck: 'false', required: true });
  const workspaceBox = isOrg
    ? h(
        'form',
        {
          class: 'workspace-form',
          onsubmit: (ev: Event) => {
            ev.preventDefault();
            const v = wsInput.value.trim();
            if (!v) return;
            setWorkspace(v);
            currentPage = ''; // render the page afresh for the other workspace
            navigate(location.hash);
          },
        },
        field('Workspace', wsInput),
        h('button', { type: 'submit', class: 'btn btn-small' }, 'Switch'),
      )
    : h('p', { class: 'muted small' }, 'Workspace: ', h('strong', {}, session.workspace));
  const menu = h('button', { type: 'button', class: 'btn btn-ghost menu-toggle', 'aria-expanded': 'false', 'aria-controls': 'sidebar-body' }, 'Menu');
  const body = h('div', { class: 'sidebar-body', id: 'sidebar-body' });
  menu.addEventListener('click', () => {
    const open = menu.getAttribute('aria-expanded') !== 'true';
    menu.setAttribute('aria-expanded', String(open));
    body.classList.toggle('open', open);
  });
  body.addEventListener('click', (ev) => {
    if ((ev.target as Element).closest('nav a')) {
      menu.setAttribute('aria-expanded', 'false');
      body.classList.remove('open');
    }
  });
  body.append(
    h(
      'nav',
      { 'aria-label': 'Main' },
      h(
        'ul',
        {},
        NAV.map((n) => h('li', {}, h('a', { href: `#/${n.page}`, 'aria-current': n.page === active ? 'page' : undefined }, n.label))),
      ),
    ),
    h(
      'div',
      { class: 'session' },
      h(
        'p',
        { class: 'small' },
        'Signed in as ',
        h('strong', {}, session.viewer.name),
        h('br'),
        h('span', { class: 'muted' }, isOrg ? 'Organisation key' : 'Workspace key'),
      ),
      workspaceBox,
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-ghost btn-small',
          onclick: () => {
            clearSession();
            navigate('#/signin');
          },
        },
        'Sign out',
      ),
    ),
  );
  return h(
    'aside',
    { class: 'sidebar' },
    h('div', { class: 'sidebar-top' }, h('div', { class: 'brand' }, h('img', { src: '/favicon.svg', alt: '', width: 24, height: 24 }), 'Logport'), menu),
    body,
  );
}

function render(): void {
  const route = parseRoute();
  if (!route) return;
  const session = loadSession();
  // Another view of the page on screen (back/forward, a changed filter): the page updates itself in place.
  if (session && route.page === currentPage && cleanup && typeof cleanup === 'object' && (cleanup as PageHandle).update?.(route)) return;
  dispose(cleanup);
  cleanup = undefined;
  currentPage = '';
  if (!session && route.page !== 'signin') {
    // Keep the requested view, so signing in lands on it (a shared link opened in a new tab).
    navigate(route.page ? buildHash('signin', [], { next: location.hash }) : '#/signin');
    return;
  }
  if (route.page === 'signin' || !session) {
    const main = h('main', { id: 'main', class: 'main main-centered', tabindex: -1 });
    clear(root, main);
    document.title = 'Sign in · Logport';
    cleanup = renderSignIn(main, () => navigate(nextAfterSignIn()));
    return;
  }
  const page = NAV.some((n) => n.page === route.page) ? route.page : 'logs';
  if (page !== route.page) {
    navigate(`#/${page}`);
    return;
  }
  const main = h('main', { id: 'main', class: 'main', tabindex: -1 });
  clear(root, sidebar(page), main);
  currentPage = page;
  document.title = `${NAV.find((n) => n.page === page)!.label} · Logport`;
  if (page === 'logs') cleanup = renderLogs(main, route);
  else if (page === 'traces') cleanup = renderTraces(main, route);
  else if (page === 'analytics') cleanup = renderAnalytics(main, route);
  else cleanup = renderExports(main, route);
  // Move focus to the new page's heading so keyboard and screen reader users start there.
  (main.querySelector('h1') as HTMLElement | null)?.focus({ preventScroll: true });
}

setUnauthenticatedHandler(() => {
  clearSession();
  navigate(buildHash('signin', [], { expired: '1', next: location.hash.startsWith('#/signin') ? undefined : location.hash }));
});

document.querySelector('.skip-link')?.addEventListener('click', (ev) => {
  ev.preventDefault();
  document.getElementById('main')?.focus();
});

window.addEventListener('hashchange', render);
render();
