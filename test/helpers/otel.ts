import { type Attributes, context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

export interface SpanSpec {
  name: string;
  attributes?: Attributes;
  kind?: SpanKind;
  error?: string;
  events?: { name: string; attributes?: Attributes }[];
  children?: SpanSpec[];
}

/** Records real SDK spans (a tree, as nested specs describe) and returns them as exporters receive them. */
export function recordSpans(specs: SpanSpec[], serviceName = 'chat-service'): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName, 'deployment.environment': 'test' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('test-instrumentation', '1.2.3');
  const run = (spec: SpanSpec, parent = context.active()) => {
    const span = tracer.startSpan(spec.name, { kind: spec.kind ?? SpanKind.CLIENT, attributes: spec.attributes }, parent);
    for (const e of spec.events ?? []) span.addEvent(e.name, e.attributes);
    const ctx = trace.setSpan(parent, span);
    for (const child of spec.children ?? []) run(child, ctx);
    if (spec.error) span.setStatus({ code: SpanStatusCode.ERROR, message: spec.error });
    else span.setStatus({ code: SpanStatusCode.OK });
    span.end();
  };
  specs.forEach((s) => run(s));
  return memory.getFinishedSpans();
}

/** Sends spans through the official OTLP/HTTP exporter, JSON or protobuf, optionally gzip-compressed. */
export function exportSpans(
  spans: ReadableSpan[],
  opts: { url: string; key: string; encoding: 'json' | 'proto'; gzip?: boolean; path?: string },
): Promise<{ ok: boolean; error?: Error }> {
  const config = {
    url: `${opts.url}${opts.path ?? '/v1/traces'}`,
    headers: { 'x-portkey-api-key': opts.key },
    compression: opts.gzip ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE,
  };
  const exporter = opts.encoding === 'json' ? new JsonExporter(config) : new ProtoExporter(config);
  return new Promise((resolve) =>
    exporter.export(spans, (r) => {
      void exporter.shutdown();
      resolve({ ok: r.code === ExportResultCode.SUCCESS, error: r.error });
    }),
  );
}

export const hexTraceId = (s: ReadableSpan) => s.spanContext().traceId;
