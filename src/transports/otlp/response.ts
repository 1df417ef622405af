import { opentelemetry } from './generated/otlp-trace.js';

const { ExportTraceServiceResponse } = opentelemetry.proto.collector.trace.v1;

/** The protobuf ExportTraceServiceResponse: empty on full success, partial_success when spans were rejected. */
export function encodeExportResponse(partial?: { rejectedSpans: number; errorMessage: string }): Buffer {
  if (!partial) return Buffer.alloc(0);
  return Buffer.from(ExportTraceServiceResponse.encode({ partialSuccess: partial }).finish());
}
