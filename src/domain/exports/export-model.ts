import type { Readable, Writable } from 'node:stream';
import type { FilterDialect } from '../logs/filter-spec.js';
import type { LogFilter } from '../logs/log-filter.js';

export const EXPORT_STATUSES = ['draft', 'in_progress', 'success', 'failed', 'stopped'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];
export type ExportFormat = 'jsonl' | 'csv';
export type ExportCompression = 'none' | 'gzip';

export interface ExportFile {
  id: string;
  name: string;
  size: number;
  contentType: string;
}

export interface LogExport {
  id: string;
  organisationId: string;
  workspaceId: string;
  description: string;
  /** The filters exactly as the client sent them (echoed back), in the dialect it wrote them in. */
  filters: Record<string, unknown>;
  filterDialect: FilterDialect;
  /** The same filters parsed into the one domain filter (derived from `filters`, never stored on its own). */
  filter: LogFilter;
  limit?: number;
  offset?: number;
  requestedData: string[];
  format: ExportFormat;
  compression: ExportCompression;
  status: ExportStatus;
  /** Rows matching when the export was created or last changed; rows written once it succeeds. */
  total: number;
  /** Rows written by the current run. */
  processed: number;
  error?: string;
  /** Incremented by every start: a job acts only for the run it was enqueued for. */
  run: number;
  file?: ExportFile;
  createdAt: Date;
  updatedAt: Date;
  createdBy: string;
  startedAt?: Date;
  finishedAt?: Date;
}

export interface ExportRepository {
  insert(e: LogExport): Promise<void>;
  findById(id: string): Promise<LogExport | null>;
  list(filter: { workspaceId?: string }): Promise<LogExport[]>;
  /**
   * Applies `patch` only while the export is in one of `whenStatus` (and, if given, at run `whenRun`);
   * returns the updated export, or null when the guard did not hold. This is how concurrent actors
   * (API and worker, two workers) avoid overwriting each other's transitions.
   */
  update(
    id: string,
    patch: Partial<LogExport> & { unset?: (keyof LogExport)[] },
    guard: { whenStatus: ExportStatus[]; whenRun?: number },
  ): Promise<LogExport | null>;
  /** Deletes the export while it is in one of `whenStatus`; false when the guard did not hold. */
  remove(id: string, guard: { whenStatus: ExportStatus[] }): Promise<boolean>;
}

/**
 * Exclusive ownership of one export run by one worker, as a lease. Job queues may hand the same job to two
 * workers (FerretDB's findAndModify is not atomic), so the run itself is claimed with an insert on a unique
 * key, which every MongoDB-compatible server enforces; a lease not renewed in time may be taken over.
 */
export interface RunClaims {
  claim(exportId: string, run: number, owner: string, leaseMs: number): Promise<boolean>;
  /** Renews the lease; false when another worker has taken it over (the caller must stop). */
  renew(exportId: string, run: number, owner: string): Promise<boolean>;
  release(exportId: string, run: number, owner: string): Promise<void>;
}

/** Where export files live (GridFS today; the interface keeps S3 or a disk possible). */
export interface BlobStore {
  openUpload(name: string, meta: { exportId: string; run: number; contentType: string }): { id: string; stream: Writable };
  openDownload(id: string, range?: { start: number; end: number }): Readable;
  stat(id: string): Promise<{ size: number } | null>;
  delete(id: string): Promise<void>;
  /** Removes every file of an export except `keep` (stale partial files of crashed or cancelled runs). */
  deleteForExport(exportId: string, keep?: string): Promise<number>;
}

/** Enqueues the background run of an export (an Agenda job in production). */
export type ExportQueue = (job: { exportId: string; run: number }) => Promise<void>;
