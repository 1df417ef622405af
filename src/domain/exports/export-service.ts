import { randomUUID } from 'node:crypto';
import { type Actor, canSeeWorkspace, requireScope, resolveWorkspace } from '../auth/actor.js';
import { DomainError, notFound, validationError } from '../errors.js';
import { type FilterInput, resolveFilter } from '../logs/filter-spec.js';
import type { LogFilter } from '../logs/log-filter.js';
import { COUNT_BUDGET_MS, type LogRepository } from '../logs/log-model.js';
import { resolveRequestedFields } from './export-fields.js';
import { exportOptionsSchema, exportUpdateSchema } from './export-input.js';
import type { BlobStore, ExportQueue, ExportRepository, ExportStatus, LogExport } from './export-model.js';
import { downloadPath, verifyDownload } from './signed-url.js';
import { createExportWatchHub } from './watch-export.js';

/** The lifecycle, in one place: which transitions each operation may make. */
const EDITABLE: ExportStatus[] = ['draft', 'failed', 'stopped'];
const STARTABLE: ExportStatus[] = ['draft', 'failed', 'stopped'];
const CANCELLABLE: ExportStatus[] = ['draft', 'in_progress'];

export interface ExportDeps {
  exports: ExportRepository;
  logs: LogRepository;
  blobs: BlobStore;
  enqueue: ExportQueue;
  signingSecret: string;
  urlTtlSeconds: number;
  /** How often a watched export is re-read (one read per export, however many subscribers). */
  watchIntervalMs?: number;
}

export interface CreateExportInput {
  /** Validated by exportOptionsSchema. */
  options: unknown;
  /** The filters as the client sent them, parsed here by the parser of their dialect. */
  filters: FilterInput;
}

export interface UpdateExportInput {
  options: unknown;
  /** Absent: keep the export's filters. */
  filters?: FilterInput;
}

export function createExportService(deps: ExportDeps) {
  const { exports: repo, logs } = deps;

  async function visible(actor: Actor, id: string): Promise<LogExport> {
    requireScope(actor, 'logs.export');
    const e = await repo.findById(id);
    if (!e) throw notFound('Export');
    assertVisible(actor, e);
    return e;
  }

  const conflict = (e: LogExport, action: string) => new DomainError('CONFLICT', `Cannot ${action} an export that is ${e.status}`);

  const hub = createExportWatchHub({ load: (id) => repo.findById(id), intervalMs: deps.watchIntervalMs });

  /** Throws unless `actor` (as it is now) may still see export `e`. */
  function assertVisible(actor: Actor, e: LogExport): void {
    requireScope(actor, 'logs.export');
    if (!canSeeWorkspace(actor, e.workspaceId)) throw notFound('Export');
  }

  /**
   * A draft's total as far as it can be counted within COUNT_BUDGET_MS. A longer count finishes in the
   * background and `settle` then writes the exact total, which the web app and the status subscription show.
   */
  async function count(workspaceId: string, filter: LogFilter, limit?: number | null, offset?: number | null) {
    let exact: ((n: number) => void) | undefined;
    const later = new Promise<number>((resolve) => (exact = resolve));
    const total = await logs.countMatching(
      workspaceId,
      filter,
      { limit: limit ?? undefined, offset: offset ?? undefined },
      { budgetMs: COUNT_BUDGET_MS, onExact: (n) => exact!(n) },
    );
    const settle = (id: string) => {
      void later.then((n) => repo.update(id, { total: n, updatedAt: new Date() }, { whenStatus: [...EDITABLE, 'in_progress'] })).catch(() => undefined);
    };
    return { total, settle };
  }

  return {
    get: visible,

    async list(actor: Actor, input: { workspaceId?: string | null }): Promise<LogExport[]> {
      requireScope(actor, 'logs.export');
      const workspaceId = actor.kind === 'workspace' || input.workspaceId ? resolveWorkspace(actor, input.workspaceId) : undefined;
      return repo.list({ workspaceId });
    },

    async create(actor: Actor, input: CreateExportInput): Promise<LogExport> {
      requireScope(actor, 'logs.export');
      const parsed = exportOptionsSchema.safeParse(input.options);
      if (!parsed.success) throw validationError(parsed.error.issues);
      const o = parsed.data;
      resolveRequestedFields(o.requestedData);
      const resolved = resolveFilter(input.filters);
      // A Portkey filter carries its own row bounds (page_size / current_page).
      const { limit, offset } = resolved.spec.dialect === 'portkey' ? resolved : o;
      const workspaceId = resolveWorkspace(actor, o.workspaceId);
      const now = new Date();
      const counted = await count(workspaceId, resolved.filter, limit, offset);
      const e: LogExport = {
        id: randomUUID(),
        organisationId: actor.organisationId,
        workspaceId,
        description: o.description ?? '',
        filters: resolved.spec.value,
        filterDialect: resolved.spec.dialect,
        filter: resolved.filter,
        limit: limit ?? undefined,
        offset: offset ?? undefined,
        requestedData: o.requestedData,
        format: o.format ?? 'jsonl',
        compression: o.compression ?? 'none',
        status: 'draft',
        total: counted.total,
        processed: 0,
        run: 0,
        createdAt: now,
        updatedAt: now,
        createdBy: actor.keyId,
      };
      await repo.insert(e);
      counted.settle(e.id);
      return e;
    },

    async update(actor: Actor, id: string, input: UpdateExportInput): Promise<LogExport> {
      const e = await visible(actor, id);
      if (!EDITABLE.includes(e.status)) throw conflict(e, 'update');
      const parsed = exportUpdateSchema.safeParse(input.options ?? {});
      if (!parsed.success) throw validationError(parsed.error.issues);
      const o = parsed.data;
      if (o.requestedData) resolveRequestedFields(o.requestedData);
      const resolved = input.filters && resolveFilter(input.filters);
      const filter = resolved?.filter ?? e.filter;
      // New Portkey filters replace the bounds: page_size / current_page left out clear them.
      const bounds = resolved?.spec.dialect === 'portkey' ? { limit: resolved.limit ?? null, offset: resolved.offset ?? null } : o;
      const limit = bounds.limit === undefined ? e.limit : (bounds.limit ?? undefined);
      const offset = bounds.offset === undefined ? e.offset : (bounds.offset ?? undefined);
      const counted = await count(e.workspaceId, filter, limit, offset);
      const updated = await repo.update(
        id,
        {
          ...(o.description != null && { description: o.description }),
          ...(o.requestedData && { requestedData: o.requestedData }),
          ...(o.format && { format: o.format }),
          ...(o.compression && { compression: o.compression }),
          ...(resolved && { filters: resolved.spec.value, filterDialect: resolved.spec.dialect }),
          filter,
          ...(limit !== undefined && { limit }),
          ...(offset !== undefined && { offset }),
          total: counted.total,
          updatedAt: new Date(),
          // Bounds cleared by the update (REST: page_size / current_page left out of new filters) are removed.
          unset: [...(limit === undefined ? (['limit'] as const) : []), ...(offset === undefined ? (['offset'] as const) : [])],
        },
        { whenStatus: EDITABLE },
      );
      if (!updated) throw conflict((await repo.findById(id)) ?? e, 'update');
      counted.settle(id);
      return updated;
    },

    /** Runs the export (again, from the start, for failed or stopped ones) in the background. */
    async start(actor: Actor, id: string): Promise<LogExport> {
      const e = await visible(actor, id);
      if (!STARTABLE.includes(e.status)) throw conflict(e, 'start');
      const run = e.run + 1;
      const started = await repo.update(
        id,
        { status: 'in_progress', run, processed: 0, startedAt: new Date(), updatedAt: new Date(), unset: ['error', 'file', 'finishedAt'] },
        { whenStatus: STARTABLE, whenRun: e.run },
      );
      if (!started) throw conflict((await repo.findById(id)) ?? e, 'start');
      if (e.file) await deps.blobs.delete(e.file.id);
      await deps.enqueue({ exportId: id, run });
      return started;
    },

    /** Stops a draft or running export; a running job notices within seconds and deletes its partial file. */
    async cancel(actor: Actor, id: string): Promise<LogExport> {
      const e = await visible(actor, id);
      if (!CANCELLABLE.includes(e.status)) throw conflict(e, 'cancel');
      const stopped = await repo.update(id, { status: 'stopped', finishedAt: new Date(), updatedAt: new Date() }, { whenStatus: CANCELLABLE });
      if (!stopped) throw conflict((await repo.findById(id)) ?? e, 'cancel');
      return stopped;
    },

    /** Deletes an export that is not running or finished (a draft, or a failed or stopped one) and any partial file. */
    async remove(actor: Actor, id: string): Promise<void> {
      const e = await visible(actor, id);
      if (!EDITABLE.includes(e.status)) throw conflict(e, 'delete');
      if (!(await repo.remove(id, { whenStatus: EDITABLE }))) throw conflict((await repo.findById(id)) ?? e, 'delete');
      await deps.blobs.deleteForExport(id);
    },

    /** A fresh signed link to the finished file (path only; the transport adds its public origin). */
    async downloadLink(actor: Actor, id: string): Promise<{ path: string; expiresAt: Date }> {
      const e = await visible(actor, id);
      if (e.status !== 'success' || !e.file) throw new DomainError('CONFLICT', `The export is ${e.status}; only successful exports can be downloaded`);
      // Whole seconds: the signature covers the expiry in seconds, so the announced time is exact.
      const expiresAt = new Date(Math.floor(Date.now() / 1000 + deps.urlTtlSeconds) * 1000);
      return { path: downloadPath(deps.signingSecret, e.id, e.file.id, expiresAt), expiresAt };
    },

    /**
     * Current state, then every change until a terminal status (GraphQL and tRPC subscriptions).
     * `reauthenticate` resolves the subscriber's key again: it runs before each state is handed out and
     * every few seconds, so a revoked key's stream ends (with its error) instead of streaming on.
     */
    async watch(
      actor: Actor,
      id: string,
      opts: { signal?: AbortSignal; reauthenticate?: () => Promise<Actor> } = {},
    ): Promise<AsyncGenerator<LogExport, undefined>> {
      // Checked before the stream starts, so another workspace's export fails the subscription at once.
      const first = await visible(actor, id);
      const { reauthenticate } = opts;
      return hub.subscribe(first, {
        signal: opts.signal,
        check: reauthenticate && (async (e) => assertVisible(await reauthenticate(), e)),
      });
    },

    /** Live watch pollers and subscribers, and the reads they made (diagnostics, tests). */
    watchStats: () => hub.stats(),

    /** Resolves a signed link (403 if tampered or expired) to the export's current file. */
    async openSignedFile(input: { exportId: string; fileId: string | null; expires: string | null; sig: string | null }) {
      const fileId = verifyDownload(deps.signingSecret, input);
      const e = await repo.findById(input.exportId);
      const file = e?.status === 'success' ? e.file : undefined;
      if (!file || file.id !== fileId) throw notFound('Export file');
      const stat = await deps.blobs.stat(fileId);
      if (!stat) throw notFound('Export file');
      return {
        name: file.name,
        contentType: file.contentType,
        size: stat.size,
        open: (range?: { start: number; end: number }) => deps.blobs.openDownload(fileId, range),
      };
    },
  };
}

export type ExportService = ReturnType<typeof createExportService>;
