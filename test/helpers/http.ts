import { ROOT_KEY } from './server.js';

export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** fetch with JSON in and out; `key: null` sends no API key. */
export async function call<T = any>(
  base: string,
  method: string,
  path: string,
  opts: { key?: string | null; body?: unknown; headers?: Record<string, string>; raw?: string | Buffer } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  const key = opts.key === undefined ? ROOT_KEY : opts.key;
  if (key !== null) headers['x-portkey-api-key'] = key;
  let body: string | Buffer | undefined = opts.raw;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${base}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* non-JSON bodies are returned as text */
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

/** Creates an API key through the REST API and returns its secret. */
export async function createKey(
  base: string,
  opts: { kind?: 'organisation' | 'workspace'; workspace?: string; scopes: string[]; by?: string; name?: string },
): Promise<{ id: string; key: string }> {
  const kind = opts.kind ?? 'workspace';
  const res = await call(base, 'POST', `/v1/api-keys/${kind}/service`, {
    key: opts.by ?? ROOT_KEY,
    body: { name: opts.name ?? `${kind}-key`, workspace_id: opts.workspace, scopes: opts.scopes },
  });
  if (res.status !== 200) throw new Error(`createKey failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, key: res.body.key };
}
