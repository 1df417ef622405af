import { resolveWorkspace } from '../domain/auth/actor.js';
import { DomainError } from '../domain/errors.js';
import type { AuthedContext } from './http.js';

/**
 * Back-pressure for ingestion: beyond `limit` concurrent requests, new ones are refused with 429 and a
 * Retry-After instead of queueing without bound (the client's exporter retries; nothing is dropped silently).
 * Fairness: one tenant (workspace) holds at most `perTenant` of the slots, so a single busy or hostile
 * workspace always leaves room for the others.
 */
export interface AdmissionGate {
  run<T>(tenant: string, fn: () => Promise<T>): Promise<T>;
  readonly inFlight: number;
}

/** Default share one tenant may hold: three quarters of the slots (at least one, and one left for others). */
export function defaultPerTenant(limit: number): number {
  return limit <= 1 ? 1 : Math.max(1, Math.min(limit - 1, Math.ceil((limit * 3) / 4)));
}

export function createAdmissionGate(opts: { limit: number; perTenant?: number; what: string; retryAfterSeconds?: number }): AdmissionGate {
  const { limit, what } = opts;
  const perTenant = Math.min(limit, opts.perTenant ?? defaultPerTenant(limit));
  const retryAfter = opts.retryAfterSeconds ?? 1;
  const byTenant = new Map<string, number>();
  let inFlight = 0;
  return {
    get inFlight() {
      return inFlight;
    },
    async run(tenant, fn) {
      const held = byTenant.get(tenant) ?? 0;
      if (inFlight >= limit) {
        throw new DomainError('OVERLOADED', `Too many concurrent ${what} (limit ${limit}); retry later`, undefined, retryAfter);
      }
      if (held >= perTenant) {
        throw new DomainError(
          'OVERLOADED',
          `Too many concurrent ${what} for workspace "${tenant}" (limit ${perTenant} per workspace); retry later`,
          undefined,
          retryAfter,
        );
      }
      inFlight++;
      byTenant.set(tenant, held + 1);
      try {
        return await fn();
      } finally {
        inFlight--;
        const left = (byTenant.get(tenant) ?? 1) - 1;
        if (left === 0) byTenant.delete(tenant);
        else byTenant.set(tenant, left);
      }
    },
  };
}

/**
 * Ingestion admission in two phases: receiving the body (bounded by the request deadline) and processing it.
 * A processing slot is taken only once the whole body is in, so slow or stalled uploads never hold one; the
 * receiving phase has its own, larger bound so memory held by bodies in transit stays bounded too.
 */
export interface IngestAdmission {
  receiving: AdmissionGate;
  processing: AdmissionGate;
}

export function createIngestAdmission(opts: { limit: number; perWorkspace?: number }): IngestAdmission {
  const receiveLimit = opts.limit * 4;
  const receivePerWorkspace = opts.perWorkspace === undefined ? undefined : Math.min(receiveLimit, opts.perWorkspace * 4);
  return {
    receiving: createAdmissionGate({ limit: receiveLimit, perTenant: receivePerWorkspace, what: 'ingest uploads' }),
    processing: createAdmissionGate({ limit: opts.limit, perTenant: opts.perWorkspace, what: 'ingest requests' }),
  };
}

/**
 * Receives the body (a receiving slot), then processes it (a processing slot), both under `tenant`. The body
 * is handed over, not kept here: while the request waits on the database, what `process` no longer needs
 * (a parsed batch) can be collected young instead of being copied by every scavenge and promoted.
 */
export async function admitIngest<B, T>(admission: IngestAdmission, tenant: string, receive: () => Promise<B>, process: (body: B) => Promise<T>): Promise<T> {
  let body: B | undefined = await admission.receiving.run(tenant, receive);
  return admission.processing.run(tenant, () => {
    const b = body as B;
    body = undefined;
    return process(b);
  });
}

/** The workspace an ingest request writes to, for admission fairness (the domain re-checks it). */
export function ingestWorkspace(ctx: Pick<AuthedContext, 'actor' | 'workspaceId'>): string {
  try {
    return resolveWorkspace(ctx.actor, ctx.workspaceId);
  } catch {
    return ctx.actor.workspaceId ?? ''; // refused by the domain later, with its own error
  }
}
