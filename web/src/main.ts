import './styles.css';
import { clearSession, loadSession, setUnauthenticatedHandler, setWorkspace } from './api.js';
import { clear, field, h } from './dom.js';
import { renderExports } from './exports.js';
import { renderLogs } from './logs.js';
import { renderSignIn } from './signin.js';
import { renderTraces } from './traces.js';
import { navigate, parseRoute, type Cleanup } from './router.js';

/** The shell: hash routing, the sidebar and the session controls. Pages render into <main>. */

const NAV = [
  { page: 'logs', label: 'Logs' },
  { page: 'traces', label: 'Traces' },
  { page: 'exports', label: 'Exports' },
];

const root = document.getElementById('app')!;
let cleanup: Cleanup;

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
            navigate(location.hash);
          },
        },
        field('Workspace', wsInput),
        h('button', { type: 'submit', class: 'btn btn-small' }, 'Switch'),
      )
    : h('p', { class: 'muted small' }, 'Workspace: ', h('strong', {}, session.workspace));
  return h(
    'aside',
    { class: 'sidebar' },
    h('div', { class: 'brand' }, h('img', { src: '/favicon.svg', alt: '', width: 24, height: 24 }), 'Logport'),
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
      h('p', { class: 'small' }, 'Signed in as ', h('strong', {}, session.viewer.name), h('br'), h('span', { class: 'muted' }, isOrg ? 'Organisation key' : 'Workspace key')),
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
}

function render(): void {
  const route = parseRoute();
  if (!route) return;
  if (typeof cleanup === 'function') cleanup();
  cleanup = undefined;
  const session = loadSession();
  if (!session && route.page !== 'signin') {
    navigate('#/signin');
    return;
  }
  if (route.page === 'signin' || !session) {
    const main = h('main', { id: 'main', class: 'main main-centered', tabindex: -1 });
    clear(root, main);
    document.title = 'Sign in · Logport';
    cleanup = renderSignIn(main, () => navigate('#/exports'));
    return;
  }
  const page = NAV.some((n) => n.page === route.page) ? route.page : 'exports';
  if (page !== route.page) {
    navigate(`#/${page}`);
    return;
  }
  const main = h('main', { id: 'main', class: 'main', tabindex: -1 });
  clear(root, sidebar(page), main);
  document.title = `${NAV.find((n) => n.page === page)!.label} · Logport`;
  if (page === 'logs') cleanup = renderLogs(main, route);
  else if (page === 'traces') cleanup = renderTraces(main, route);
  else cleanup = renderExports(main, route);
  // Move focus to the new page's heading so keyboard and screen reader users start there.
  (main.querySelector('h1') as HTMLElement | null)?.focus({ preventScroll: true });
}

setUnauthenticatedHandler(() => {
  clearSession();
  navigate('#/signin?expired=1');
});

document.querySelector('.skip-link')?.addEventListener('click', (ev) => {
  ev.preventDefault();
  document.getElementById('main')?.focus();
});

window.addEventListener('hashchange', render);
render();
