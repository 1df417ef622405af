import { type Attributes, context, type HrTime, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Actor } from '../../src/domain/auth/actor.js';
import type { LogRecord, LogRepository } from '../../src/domain/logs/log-model.js';
import type { OtlpExport } from '../../src/domain/traces/otlp-model.js';

/** Records real SDK spans; `build` drives the tracer as an instrumented application would. */
export function recordSpans(build: (tracer: Tracer) => void, resource: Attributes = { 'service.name': 'chat-service' }): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes(resource), spanProcessors: [new SimpleSpanProcessor(memory)] });
  build(provider.getTracer('test-instrumentation', '1.2.3'));
  return memory.getFinishedSpans();
}

export interface SpanSpec {
  name: string;
  kind?: SpanKind;
  attributes?: Attributes;
  events?: { name: string; attributes?: Attributes }[];
  error?: string;
  children?: SpanSpec[];
}

/** Records a tree of spans as nested specs describe it. */
export function recordTree(specs: SpanSpec[], resource?: Attributes): ReadableSpan[] {
  return recordSpans((tracer) => {
    const run = (spec: SpanSpec, parent = context.active()) => {
      const span = tracer.startSpan(spec.name, { kind: spec.kind ?? SpanKind.CLIENT, attributes: spec.attributes }, parent);
      for (const e of spec.events ?? []) span.addEvent(e.name, e.attributes);
      for (const child of spec.children ?? []) run(child, trace.setSpan(parent, span));
      span.setStatus(spec.error ? { code: SpanStatusCode.ERROR, message: spec.error } : { code: SpanStatusCode.OK });
      span.end();
    };
    for (const s of specs) run(s);
  }, resource);
}

/** The exact request bodies the OTLP/HTTP exporters send for these spans, in both encodings. */
export function serialize(spans: ReadableSpan[]): { proto: Buffer; json: string } {
  return {
    proto: Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!),
    json: Buffer.from(JsonTraceSerializer.serializeRequest(spans)!).toString('utf8'),
  };
}

/** hrtime as the decoders report it: milliseconds with microsecond decimals. */
export const hrMs = (t: HrTime) => Math.round((t[0] * 1e9 + t[1]) / 1e3) / 1e3;

export function allSpans(e: OtlpExport) {
  return e.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((span) => ({ span, resource: rs.resource, scope: ss.scope }))));
}

export function actor(overrides: Partial<Actor> = {}): Actor {
  return { keyId: 'k1', name: 'test', kind: 'organisation', organisationId: 'org-1', scopes: new Set(['logs.write']), isRoot: false, ...overrides };
}

/**
 * Keeps the first copy of every id, like the MongoDB repository. Span ingestion only inserts, so only that
 * is implemented; `repo` hands it over typed as the full interface.
 */
export class MemoryRepo {
  readonly byId = new Map<string, LogRecord>();
  inserts = 0;
  async insertMany(records: LogRecord[]): Promise<void> {
    this.inserts++;
    for (const r of records) if (!this.byId.has(r.id)) this.byId.set(r.id, r);
  }
  get repo(): LogRepository {
    return this as unknown as LogRepository;
  }
}
