import { createClient, type Client } from 'graphql-ws';

/** The session (API key and workspace, in sessionStorage) and the GraphQL client over fetch and graphql-ws. */

const KEY = 'logport.apiKey';
const WORKSPACE = 'logport.workspace';
const VIEWER = 'logport.viewer';

/** The tab's sessionStorage, or localStorage when the user chose to stay signed in on this browser. */
function store(): Storage {
  return localStorage.getItem(KEY) ? localStorage : sessionStorage;
}

export interface Viewer {
  keyId: string;
  name: string;
  kind: 'ORGANISATION' | 'WORKSPACE';
  organisationId: string;
  workspaceId: string | null;
  scopes: string[];
}

export interface Session {
  apiKey: string;
  viewer: Viewer;
  /** The workspace acted on: the key's own, or the one picked for an organisation key. */
  workspace: string;
}

export function loadSession(): Session | null {
  const st = store();
  const apiKey = st.getItem(KEY);
  const viewerText = st.getItem(VIEWER);
  if (!apiKey || !viewerText) return null;
  try {
    const viewer = JSON.parse(viewerText) as Viewer;
    return { apiKey, viewer, workspace: viewer.workspaceId ?? st.getItem(WORKSPACE) ?? 'default' };
  } catch {
    return null;
  }
}

/** `remember`: keep the key in localStorage (every tab of this browser, until sign-out) instead of this tab only. */
export function saveSession(s: Session, remember = false): void {
  clearSession();
  const st = remember ? localStorage : sessionStorage;
  st.setItem(KEY, s.apiKey);
  st.setItem(VIEWER, JSON.stringify(s.viewer));
  st.setItem(WORKSPACE, s.workspace);
}

export function setWorkspace(workspace: string): void {
  store().setItem(WORKSPACE, workspace);
}

export function clearSession(): void {
  for (const st of [sessionStorage, localStorage]) {
    st.removeItem(KEY);
    st.removeItem(VIEWER);
    st.removeItem(WORKSPACE);
  }
  resetSocket();
}

/** `workspaceId` to pass: only organisation keys name a workspace. */
export function workspaceArg(): string | undefined {
  const s = loadSession();
  return s && s.viewer.kind === 'ORGANISATION' ? s.workspace : undefined;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface GqlResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** Called when the server says the key is not (or no longer) valid. */
let onUnauthenticated: () => void = () => undefined;
export function setUnauthenticatedHandler(fn: () => void): void {
  onUnauthenticated = fn;
}

/** `signal` aborts the request; the promise then rejects with an ApiError whose code is ABORTED. */
export async function gql<T>(query: string, variables: Record<string, unknown> = {}, apiKey?: string, signal?: AbortSignal): Promise<T> {
  const key = apiKey ?? loadSession()?.apiKey;
  let res: Response;
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(key ? { 'x-portkey-api-key': key } : {}) },
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch {
    if (signal?.aborted) throw new ApiError('Cancelled.', 'ABORTED');
    throw new ApiError('Logport could not be reached. Check that the server is running.', 'NETWORK');
  }
  let body: GqlResponse<T>;
  try {
    body = (await res.json()) as GqlResponse<T>;
  } catch {
    if (signal?.aborted) throw new ApiError('Cancelled.', 'ABORTED');
    throw new ApiError(`Unexpected answer from the server (HTTP ${res.status}).`, 'BAD_RESPONSE');
  }
  const err = body.errors?.[0];
  if (err) {
    const code = err.extensions?.code ?? 'ERROR';
    if (code === 'UNAUTHENTICATED' && apiKey === undefined) onUnauthenticated();
    throw new ApiError(err.message, code);
  }
  if (!body.data) throw new ApiError(`Empty answer from the server (HTTP ${res.status}).`, 'BAD_RESPONSE');
  return body.data;
}

let socket: Client | undefined;

function resetSocket(): void {
  void socket?.dispose();
  socket = undefined;
}

/** One graphql-ws connection per session, opened lazily and closed when idle. */
function ws(): Client {
  if (!socket) {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
    socket = createClient({
      url,
      lazy: true,
      retryAttempts: 5,
      connectionParams: () => ({ apiKey: loadSession()?.apiKey ?? '' }),
    });
  }
  return socket;
}

/** Subscribes; returns the unsubscribe function. `onDone` runs once the server completes or fails the stream. */
export function subscribe<T>(
  query: string,
  variables: Record<string, unknown>,
  handlers: { next: (data: T) => void; error?: (err: ApiError) => void; done?: () => void },
): () => void {
  return ws().subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        const err = result.errors?.[0];
        if (err) {
          handlers.error?.(new ApiError(err.message, String(err.extensions?.code ?? 'ERROR')));
          return;
        }
        if (result.data) handlers.next(result.data as T);
      },
      error: (e: unknown) => {
        const first = Array.isArray(e) ? (e[0] as { message?: string } | undefined) : undefined;
        const message = first?.message ?? (e instanceof Error ? e.message : 'The live connection was lost.');
        handlers.error?.(new ApiError(message, 'SUBSCRIPTION'));
      },
      complete: () => handlers.done?.(),
    },
  );
}
