import type { Services } from '../../domain/services.js';
import type { IngestAdmission } from '../admission.js';

export interface RestDeps {
  services: Services;
  limits: { json: number; otlp: number };
  /** Shared by REST and OTLP ingestion: bounded concurrency per phase and per workspace, 429 beyond it. */
  ingest: IngestAdmission;
  /** PUBLIC_URL, when configured: the origin of links Logport hands out. */
  publicUrl?: string;
}
