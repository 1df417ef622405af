import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { call } from './http.js';
import { ROOT_KEY } from './server.js';

export async function gql<T = any>(base: string, query: string, variables?: Record<string, unknown>, key: string | null = ROOT_KEY) {
  return call<{ data?: T; errors?: { message: string; extensions?: { code?: string; details?: unknown } }[] }>(base, 'POST', '/graphql', {
    key,
    body: { query, variables },
  });
}

/** A graphql-ws client over the real WebSocket endpoint. */
export function wsClient(base: string, connectionParams: Record<string, unknown>): Client {
  return createClient({
    url: `${base.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
  });
}

/** Runs one operation over WebSocket and collects every result until it completes. */
export function wsCollect<T = any>(client: Client, query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: any[] }[]> {
  return new Promise((resolve, reject) => {
    const results: { data?: T; errors?: any[] }[] = [];
    client.subscribe<T>(
      { query, variables },
      {
        next: (r) => results.push(r as { data?: T; errors?: any[] }),
        error: (e) => (Array.isArray(e) ? resolve([{ errors: e }]) : reject(e)),
        complete: () => resolve(results),
      },
    );
  });
}
