import { DomainError } from '../../domain/errors.js';
import { mediaType } from '../http-body.js';
import type { AuthedContext, Route } from '../http.js';
import type { RestDeps } from '../rest/deps.js';
import { admitIngest, ingestWorkspace } from '../admission.js';
import { decodeOtlpJson, decodeOtlpProtobuf } from './decode.js';
import { readOtlpBody } from './body.js';
import { encodeExportResponse } from './response.js';

const PROTOBUF_TYPES = new Set(['application/x-protobuf', 'application/protobuf']);

/** OTLP/HTTP trace export. Decoding lives in decode.ts; everything a span means lives in the domain. */
export function otlpRoutes({ services, limits, ingest }: RestDeps): Route[] {
  const handler = async (ctx: AuthedContext) => {
    const type = mediaType(ctx.req);
    const protobuf = PROTOBUF_TYPES.has(type);
    if (!protobuf && type !== 'application/json') {
      throw new DomainError('UNSUPPORTED_MEDIA_TYPE', `Expected application/x-protobuf or application/json, got "${type || 'none'}"`);
    }
    const result = await admitIngest(
      ingest,
      ingestWorkspace(ctx),
      () => readOtlpBody(ctx.req, limits.otlp),
      // Not async: the body and the decoded export are not held while the spans are written.
      (body) => {
        const decoded = protobuf ? decodeOtlpProtobuf(body) : decodeOtlpJson(body.toString('utf8'));
        return services.traces.ingestOtlp(ctx.actor, { workspaceId: ctx.workspaceId, export: decoded });
      },
    );
    const partial = result.rejected > 0 ? { rejectedSpans: result.rejected, errorMessage: result.errorMessage ?? '' } : undefined;
    const payload = protobuf ? encodeExportResponse(partial) : Buffer.from(JSON.stringify(partial ? { partialSuccess: partial } : {}));
    ctx.res.writeHead(200, { 'content-type': protobuf ? 'application/x-protobuf' : 'application/json', 'content-length': payload.length });
    ctx.res.end(payload);
  };
  return ['/v1/traces', '/v1/otel/v1/traces'].map((path): Route => ({ method: 'POST', path, auth: 'key', handler }));
}
