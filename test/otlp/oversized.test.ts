import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createKey } from '../helpers/http.js';
import { recordSpans, type SpanSpec } from '../helpers/otel.js';
import { ROOT_KEY, startTestServer, type TestServer } from '../helpers/server.js';
import { chatLog, postLogs } from '../logs/fixtures.js';

const MiB = 1024 * 1024;

/** JSON text of about `bytes` bytes: one user message. */
const messages = (bytes: number) => JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'x'.repeat(bytes) }] }]);

// The cases from the reliability review: each makes one span's stored document pass 16 MiB.
const OVERSIZED: Record<string, SpanSpec> = {
  '9 MiB gen_ai.input.messages': { name: 'huge messages', attributes: { 'gen_ai.request.model': 'gpt-4o', 'gen_ai.input.messages': messages(9 * MiB) } },
  'two 9 MiB attributes': { name: 'huge attributes', attributes: { 'blob.a': 'a'.repeat(9 * MiB), 'blob.b': 'b'.repeat(9 * MiB) } },
  // Every `key=` value becomes `[redacted]`: 5 characters turn into 15, so 4 MiB become 12.
  '4 MiB URL that redaction triples': { name: 'huge url', attributes: { 'url.full': `https://api.openai.com/v1/x?${'key=&'.repeat((4 * MiB) / 5)}` } },
};

const normal = (name: string): SpanSpec => ({ name, attributes: { 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 10 } });

describe('a log or span too large to store never fails its batch', () => {
  let s: TestServer;
  let key: string;
  beforeAll(async () => {
    // Limits high enough that the request itself is accepted: the stored document is what is too large.
    s = await startTestServer({ MAX_BODY_BYTES: String(64 * MiB), OTLP_MAX_BODY_BYTES: String(96 * MiB) });
    key = (await createKey(s.url, { workspace: 'big', scopes: ['logs.write'] })).key;
  }, 240_000);
  afterAll(() => s.stop());

  /** What the workspace holds of a trace (none: an empty list). */
  const stored = async (traceId: string) => {
    const actor = await s.app.services.apiKeys.authenticate(ROOT_KEY);
    try {
      return (await s.app.services.traces.get(actor, { traceId, workspaceId: 'big' })).spans;
    } catch (err) {
      if ((err as { code?: string }).code === 'NOT_FOUND') return [];
      throw err;
    }
  };

  for (const [name, spec] of Object.entries(OVERSIZED)) {
    for (const encoding of ['proto', 'json'] as const) {
      it(`OTLP ${encoding}: ${name} is rejected in partialSuccess; the spans around it are stored`, async () => {
        const spans = recordSpans([{ name: 'agent', kind: 1, children: [normal('before'), spec, normal('after')] }]);
        const big = spans.find((x) => x.name === spec.name)!;
        const body = Buffer.from((encoding === 'json' ? JsonTraceSerializer : ProtobufTraceSerializer).serializeRequest(spans as ReadableSpan[])!);
        const type = encoding === 'json' ? 'application/json' : 'application/x-protobuf';
        const res = await call(s.url, 'POST', '/v1/traces', { key, raw: body, headers: { 'content-type': type } });
        expect(res.status).toBe(200);
        if (encoding === 'json') {
          expect(res.body.partialSuccess.rejectedSpans).toBe(1);
          expect(res.body.partialSuccess.errorMessage).toContain(`${big.spanContext().traceId}:${big.spanContext().spanId}`);
          expect(res.body.partialSuccess.errorMessage).toMatch(/16 MiB/);
        }
        const names = (await stored(big.spanContext().traceId)).map((r) => r.spanName).sort();
        expect(names).toEqual(['after', 'agent', 'before']);
      }, 120_000);
    }
  }

  it('REST: a batch holding a log too large to store is refused with 413 naming the item; nothing is stored', async () => {
    const traceId = 'rest-oversized-trace';
    const logs = Array.from({ length: 5 }, (_, i) => chatLog({ metadata: { trace_id: traceId, span_id: `s${i}` } }));
    logs[3]!.response.body = { id: 'chatcmpl-big', choices: [{ message: { role: 'assistant', content: 'y'.repeat(17 * MiB) } }] };
    const res = await postLogs(s, logs, { key });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(res.body.error.details).toEqual([{ path: [3], message: expect.stringMatching(/16 MiB/) }]);
    expect(await stored(traceId)).toEqual([]);
  }, 120_000);
});
