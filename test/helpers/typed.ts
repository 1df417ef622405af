import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink, TRPCClientError } from '@trpc/client';
import { EventSource } from 'eventsource';
import type { Client } from 'graphql-ws';
import type { AppRouter } from '../../src/transports/trpc/router.js';
import { chatLog } from '../logs/fixtures.js';
import { gql } from './graphql.js';
import { minutesAfter, type Spec, specLog as buildSpecLog, TEN_LOGS } from './log-scenario.js';

export type { Spec };
import { ROOT_KEY } from './server.js';

/** Shared fixtures and clients for the typed-API (GraphQL, tRPC) and parity tests. */

export const T0 = Date.parse('2025-05-01T08:00:00.000Z');
export const at = minutesAfter(T0);

export const SPECS = TEN_LOGS;
export const NAMES = Object.keys(SPECS);

export const specLog = (s: Spec) => buildSpecLog(s, at);

/** Names (keys of SPECS) mapped to ids, and the order every listing must use: newest first, ties by id descending. */
export class Named {
  readonly idOf = new Map<string, string>();
  readonly nameOf = new Map<string, string>();
  constructor(ids: string[]) {
    NAMES.forEach((n, i) => {
      this.idOf.set(n, ids[i]!);
      this.nameOf.set(ids[i]!, n);
    });
  }
  ordered(names: string[]): string[] {
    const id = (n: string) => this.idOf.get(n)!;
    return [...names].sort((p, q) => SPECS[q]!.at - SPECS[p]!.at || (id(q) < id(p) ? -1 : id(q) > id(p) ? 1 : 0));
  }
  names(ids: string[]): string[] {
    return ids.map((i) => this.nameOf.get(i) ?? i);
  }
  where(pred: (s: Spec) => boolean): string[] {
    return this.ordered(NAMES.filter((n) => pred(SPECS[n]!)));
  }
}

/** A REST log that is a span of a trace (trace linkage travels in metadata, as Portkey's SDK sends it). */
export function spanLog(traceId: string, spanId: string, parent: string | undefined, name: string, when: string) {
  const metadata: Record<string, string> = { trace_id: traceId, span_id: spanId, span_name: name };
  if (parent) metadata.parent_span_id = parent;
  return chatLog({ created_at: when, metadata });
}

export interface TreeShape {
  spanId: string | null;
  children: TreeShape[];
}
export const shapeOf = (n: { spanId: string | null; children?: unknown[] }): TreeShape => ({
  spanId: n.spanId,
  children: ((n.children ?? []) as { spanId: string | null; children?: unknown[] }[]).map(shapeOf),
});

/** GraphQL data or a thrown error carrying the response, for calls expected to succeed. */
export async function gqlOk<T = any>(base: string, query: string, variables?: Record<string, unknown>, key: string | null = ROOT_KEY): Promise<T> {
  const res = await gql<T>(base, query, variables, key);
  if (res.status !== 200 || res.body.errors || !res.body.data) throw new Error(`GraphQL failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

/** The first error's extensions.code of a GraphQL call expected to fail. */
export async function gqlError(base: string, query: string, variables?: Record<string, unknown>, key: string | null = ROOT_KEY) {
  const res = await gql(base, query, variables, key);
  const err = res.body.errors?.[0];
  return {
    status: res.status,
    data: res.body.data,
    error: err,
    code: err?.extensions?.code,
    details: err?.extensions?.details as { path?: (string | number)[]; message: string }[] | undefined,
  };
}

export function trpc(base: string, key: string | null = ROOT_KEY) {
  const headers: Record<string, string> = key ? { 'x-portkey-api-key': key } : {};
  return createTRPCClient<AppRouter>({ links: [httpLink({ url: `${base}/trpc`, headers })] });
}

/** A client whose subscriptions use server-sent events (the `eventsource` package; Node 20 has no EventSource). */
export function trpcLive(base: string, key: string = ROOT_KEY) {
  const headers = { 'x-portkey-api-key': key };
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url: `${base}/trpc`,
          EventSource,
          eventSourceOptions: () => ({
            fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } }),
          }),
        }),
        false: httpLink({ url: `${base}/trpc`, headers }),
      }),
    ],
  });
}

/** The rejection of a tRPC call expected to fail, as a TRPCClientError (fails if the call succeeded). */
export async function trpcError(p: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  const outcome = await p.then(
    (v) => new Error(`expected the call to fail, got ${JSON.stringify(v)}`),
    (e: unknown) => e,
  );
  if (!(outcome instanceof TRPCClientError)) throw outcome;
  return outcome as TRPCClientError<AppRouter>;
}

export const detailPaths = (details: unknown) => ((details ?? []) as { path?: (string | number)[] }[]).map((d) => (d.path ?? []).join('.'));

/** Polls until `done` holds (bounded); returns the last value. */
export async function poll<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 20_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A live graphql-ws subscription: events as they arrive, and `done` when it completes or errors. */
export function wsSubscribe<T = any>(client: Client, query: string, variables: Record<string, unknown>) {
  const events: { data?: T | null; errors?: any[] }[] = [];
  let settled = false;
  const done = new Promise<{ completed: boolean; error?: unknown }>((resolve) => {
    client.subscribe<T>(
      { query, variables },
      {
        next: (r) => events.push(r as { data?: T | null; errors?: any[] }),
        error: (e) => {
          settled = true;
          resolve({ completed: false, error: e });
        },
        complete: () => {
          settled = true;
          resolve({ completed: true });
        },
      },
    );
  });
  return { events, done, isSettled: () => settled };
}

/** Fetches a download URL without any API key and parses the JSONL body. */
export async function downloadJsonl(url: string): Promise<{ status: number; contentType: string | null; rows: any[] }> {
  const res = await fetch(url);
  const text = await res.text();
  if (res.status !== 200) return { status: res.status, contentType: res.headers.get('content-type'), rows: [] };
  if (text !== '' && !text.endsWith('\n')) throw new Error('JSONL file does not end with a line break');
  const rows =
    text === ''
      ? []
      : text
          .slice(0, -1)
          .split('\n')
          .map((l) => JSON.parse(l));
  return { status: res.status, contentType: res.headers.get('content-type'), rows };
}
