import { ApiError, gql, saveSession, type Viewer } from './api.js';
import { field, h } from './dom.js';
import { parseRoute, type Cleanup } from './router.js';

const VIEWER_QUERY = `query Viewer { viewer { keyId name kind organisationId workspaceId scopes } }`;

/** Sign-in: paste an API key; it is checked with the `viewer` query and kept in this tab (or, if asked, this browser). */
export function renderSignIn(main: HTMLElement, onSignedIn: () => void): Cleanup {
  const expired = parseRoute()?.query.get('expired') === '1';
  const keyInput = h('input', {
    type: 'password',
    name: 'apiKey',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    'aria-required': 'true',
  });
  const wsInput = h('input', { type: 'text', name: 'workspace', value: 'default', autocomplete: 'off', spellcheck: 'false' });
  const remember = h('input', { type: 'checkbox', name: 'remember' });
  const error = h('p', { class: 'error', role: 'alert', id: 'signin-error' });
  error.hidden = true;
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Sign in');

  const showError = (msg: string) => {
    error.textContent = msg;
    error.hidden = false;
    keyInput.setAttribute('aria-invalid', 'true');
    const hint = keyInput.getAttribute('aria-describedby') ?? '';
    if (!hint.includes('signin-error')) keyInput.setAttribute('aria-describedby', `${hint} signin-error`.trim());
    keyInput.focus();
    keyInput.select();
  };

  const form = h(
    'form',
    {
      class: 'card signin',
      'aria-labelledby': 'signin-title',
      novalidate: true,
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        const apiKey = keyInput.value.trim();
        if (!apiKey) {
          showError('Paste an API key to sign in.');
          return;
        }
        submit.disabled = true;
        submit.textContent = 'Checking…';
        try {
          const { viewer } = await gql<{ viewer: Viewer }>(VIEWER_QUERY, {}, apiKey);
          const workspace = viewer.workspaceId ?? (wsInput.value.trim() || 'default');
          saveSession({ apiKey, viewer, workspace }, remember.checked);
          onSignedIn();
        } catch (err) {
          const e = err instanceof ApiError ? err : new ApiError(String(err), 'ERROR');
          showError(e.code === 'UNAUTHENTICATED' ? 'That API key is not valid: Logport did not accept it. Check the key and try again.' : e.message);
        } finally {
          submit.disabled = false;
          submit.textContent = 'Sign in';
        }
      },
    },
    h('h1', { id: 'signin-title', tabindex: -1 }, 'Sign in to Logport'),
    expired ? h('p', { class: 'notice' }, 'Your session ended: the key is no longer accepted. Sign in again.') : null,
    field('API key', keyInput, 'Sent as the x-portkey-api-key header; kept only in this browser tab.'),
    field('Workspace', wsInput, 'Organisation keys act on this workspace; workspace keys use their own.'),
    h('label', { class: 'check' }, remember, 'Stay signed in on this browser (links open in new tabs without the key)'),
    error,
    submit,
  );
  main.append(form);
  keyInput.focus();
}
