import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createKey } from '../helpers/http.js';
import { recordSpans } from '../helpers/otel.js';
import { ROOT_KEY, startTestServer, type TestServer } from '../helpers/server.js';

/** The same span as an instrumentation with scope attributes (OTLP 1.x) reports it. */
function withScopeAttributes(span: ReadableSpan): ReadableSpan {
  const scope = { ...span.instrumentationScope, attributes: { 'scope.team': 'search', 'scope.rollout': 3 } };
  return Object.create(span, { instrumentationScope: { value: scope } }) as ReadableSpan;
}

describe('OTLP protobuf and JSON store the same record', () => {
  let s: TestServer;
  const keys: Record<'json' | 'proto', string> = { json: '', proto: '' };
  beforeAll(async () => {
    s = await startTestServer();
    keys.json = (await createKey(s.url, { workspace: 'enc-json', scopes: ['logs.write'] })).key;
    keys.proto = (await createKey(s.url, { workspace: 'enc-proto', scopes: ['logs.write'] })).key;
  });
  afterAll(() => s.stop());

  it('one span sent both ways (one workspace each) is stored identically, scope attributes included', async () => {
    const [span] = recordSpans([
      {
        name: 'chat gpt-4o',
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.usage.input_tokens': 120,
          'gen_ai.usage.output_tokens': 40,
          'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Hi' }] }]),
          'custom.flags': [true, false],
          'custom.ratio': 0.25,
        },
        events: [{ name: 'gen_ai.choice', attributes: { index: 0, finish_reason: 'stop' } }],
      },
    ]);
    const scoped = withScopeAttributes(span!);
    const bodies = {
      json: Buffer.from(JsonTraceSerializer.serializeRequest([scoped])!),
      proto: Buffer.from(ProtobufTraceSerializer.serializeRequest([scoped])!),
    };
    for (const encoding of ['json', 'proto'] as const) {
      const type = encoding === 'json' ? 'application/json' : 'application/x-protobuf';
      const res = await call(s.url, 'POST', '/v1/traces', { key: keys[encoding], raw: bodies[encoding], headers: { 'content-type': type } });
      expect(res.status).toBe(200);
    }

    const actor = await s.app.services.apiKeys.authenticate(ROOT_KEY);
    const traceId = span!.spanContext().traceId;
    const stored = async (workspaceId: string) => {
      const { spans } = await s.app.services.traces.get(actor, { traceId, workspaceId });
      expect(spans).toHaveLength(1);
      const { id, workspaceId: _ws, ...rest } = spans[0]!;
      return rest;
    };
    const fromJson = await stored('enc-json');
    const fromProto = await stored('enc-proto');
    expect(fromProto).toEqual(fromJson);
    // What v0.19 definitions lost: the scope's own attributes (kept next to the resource's).
    expect(fromProto.span?.resourceAttributes).toMatchObject({ 'scope.team': 'search', 'scope.rollout': '3', 'service.name': 'chat-service' });
  });
});
