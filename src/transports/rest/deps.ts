import type { Services } from '../../domain/services.js';
import type { AdmissionGate } from '../admission.js';

export interface RestDeps {
  services: Services;
  limits: { json: number; otlp: number };
  /** Shared by REST and OTLP ingestion: bounded concurrency, 429 beyond it. */
  ingestGate: AdmissionGate;
  /** PUBLIC_URL, when configured: the origin of links Logport hands out. */
  publicUrl?: string;
}
