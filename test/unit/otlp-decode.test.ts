import { SpanKind } from '@opentelemetry/api';
import $protobuf from 'protobufjs/minimal.js';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { decodeOtlpJson, decodeOtlpProtobuf } from '../../src/transports/otlp/decode.js';
import { opentelemetry } from '../../src/transports/otlp/generated/otlp-trace.js';
import { allSpans, hrMs, recordTree, serialize } from './otlp-fixtures.js';

const { ExportTraceServiceRequest } = opentelemetry.proto.collector.trace.v1;
type IExportTraceServiceRequest = opentelemetry.proto.collector.trace.v1.IExportTraceServiceRequest;
type IAnyValue = opentelemetry.proto.common.v1.IAnyValue;

/** An int64 beyond 2^53 as protobufjs encodes it (a Long; the generated types only admit numbers). */
const longFrom = (text: string) => ($protobuf.util.Long as unknown as { fromString(s: string): number }).fromString(text);
const encode = (req: IExportTraceServiceRequest) => Buffer.from(ExportTraceServiceRequest.encode(req).finish());

function badRequest(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('BAD_REQUEST');
    return err as DomainError;
  }
  throw new Error('expected a BAD_REQUEST DomainError, but decoding succeeded');
}

/** Either a decoded export or a BAD_REQUEST; anything else (a crash) fails the test. */
function decodesOrRejects(fn: () => unknown): 'ok' | 'rejected' {
  try {
    fn();
    return 'ok';
  } catch (err) {
    if (err instanceof DomainError && err.code === 'BAD_REQUEST') return 'rejected';
    throw err;
  }
}

const tree = () =>
  recordTree(
    [
      {
        name: 'POST /support',
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': 'POST', 'http.response.status_code': 200 },
        children: [
          {
            name: 'invoke_agent support',
            kind: SpanKind.INTERNAL,
            attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'support' },
            children: [
              {
                name: 'chat gpt-4o',
                attributes: {
                  'gen_ai.provider.name': 'openai',
                  'gen_ai.request.model': 'gpt-4o',
                  'gen_ai.usage.input_tokens': 120,
                  'gen_ai.request.temperature': 0.25,
                  'gen_ai.request.stream': false,
                  'gen_ai.response.finish_reasons': ['stop', 'length'],
                  'app.scores': [0.5, 1.5],
                  'app.flags': [true, false],
                  'app.empty': '',
                  'app.unicode': 'żółw 🐢',
                },
                events: [{ name: 'gen_ai.user.message', attributes: { content: 'Hello', 'app.n': 3 } }, { name: 'retry' }],
                error: 'upstream timed out',
              },
            ],
          },
        ],
      },
    ],
    { 'service.name': 'support-api', 'service.version': '2.0.0', 'host.cpus': 8, 'feature.on': true },
  );

describe('decoding real exporter output', () => {
  const spans = tree();
  const { proto, json } = serialize(spans);
  const fromProto = decodeOtlpProtobuf(proto);
  const fromJson = decodeOtlpJson(json);

  it('gives the same export from protobuf and from JSON', () => {
    expect(fromJson).toStrictEqual(fromProto);
    expect(allSpans(fromProto)).toHaveLength(3);
  });

  it('reads ids as lowercase hex and links the three levels through parent ids', () => {
    const byName = new Map(allSpans(fromProto).map(({ span }) => [span.name, span]));
    for (const s of spans) {
      const d = byName.get(s.name)!;
      expect(d.traceId).toBe(s.spanContext().traceId);
      expect(d.spanId).toBe(s.spanContext().spanId);
      expect(d.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(d.spanId).toMatch(/^[0-9a-f]{16}$/);
    }
    expect(byName.get('POST /support')!.parentSpanId).toBeUndefined();
    expect(byName.get('invoke_agent support')!.parentSpanId).toBe(byName.get('POST /support')!.spanId);
    expect(byName.get('chat gpt-4o')!.parentSpanId).toBe(byName.get('invoke_agent support')!.spanId);
  });

  it('converts times to milliseconds and keeps kind, status, events, resource and scope', () => {
    const chat = spans.find((s) => s.name === 'chat gpt-4o')!;
    const { span, resource, scope } = allSpans(fromProto).find(({ span: s }) => s.name === 'chat gpt-4o')!;
    expect(span.startTimeMs).toBe(hrMs(chat.startTime));
    expect(span.endTimeMs).toBe(hrMs(chat.endTime));
    expect(span.kind).toBe(3);
    expect(span.status).toEqual({ code: 2, message: 'upstream timed out' });
    expect(span.events.map((e) => e.name)).toEqual(['gen_ai.user.message', 'retry']);
    expect(span.events[0]!.attributes).toEqual({ content: 'Hello', 'app.n': 3 });
    expect(span.events[0]!.timeMs).toBe(hrMs(chat.events[0]!.time));
    expect(resource).toMatchObject({ 'service.name': 'support-api', 'service.version': '2.0.0', 'host.cpus': 8, 'feature.on': true });
    expect(scope).toEqual({ name: 'test-instrumentation', version: '1.2.3', attributes: {} });
  });

  it('maps attribute values to their JSON-like types', () => {
    const { span } = allSpans(fromProto).find(({ span: s }) => s.name === 'chat gpt-4o')!;
    expect(span.attributes).toEqual({
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.request.temperature': 0.25,
      'gen_ai.request.stream': false,
      'gen_ai.response.finish_reasons': ['stop', 'length'],
      'app.scores': [0.5, 1.5],
      'app.flags': [true, false],
      'app.empty': '',
      'app.unicode': 'żółw 🐢',
    });
  });
});

describe('values the SDK cannot produce, encoded by hand in both encodings', () => {
  const traceId = '0af7651916cd43dd8448eb211c80319c';
  const spanId = 'b7ad6b7169203331';
  const nested: IAnyValue = {
    kvlistValue: {
      values: [
        {
          key: 'list',
          value: {
            arrayValue: { values: [{ stringValue: 'a' }, { intValue: 2 }, { kvlistValue: { values: [{ key: 'deep', value: { boolValue: true } }] } }] },
          },
        },
        { key: 'bytes', value: { bytesValue: Buffer.from('hello') } },
        { key: 'empty', value: {} },
      ],
    },
  };
  const protoReq = encode({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
        scopeSpans: [
          {
            scope: { name: 'lib' },
            spans: [
              {
                traceId: Buffer.from(traceId, 'hex'),
                spanId: Buffer.from(spanId, 'hex'),
                parentSpanId: Buffer.alloc(8),
                name: 'op',
                kind: 3,
                // biome-ignore lint/correctness/noPrecisionLoss: decoders must cope with nanosecond times that a JS number cannot hold exactly
                startTimeUnixNano: 1_700_000_000_123_456_789,
                endTimeUnixNano: 1_700_000_001_000_000_000,
                attributes: [
                  { key: 'nested', value: nested },
                  { key: 'big', value: { intValue: longFrom('9007199254740993') } },
                  { key: 'neg', value: { intValue: -42 } },
                  { key: '__proto__', value: { stringValue: 'not a prototype' } },
                ],
                status: { code: 1 },
              },
            ],
          },
        ],
      },
    ],
  });
  // The same request as the generic protobuf JSON mapping might spell it: snake_case keys, base64 ids,
  // numeric times, enum names, int64s as strings.
  const jsonReq = JSON.stringify({
    resource_spans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { string_value: 'svc' } }] },
        scope_spans: [
          {
            scope: { name: 'lib' },
            spans: [
              {
                trace_id: Buffer.from(traceId, 'hex').toString('base64'),
                span_id: Buffer.from(spanId, 'hex').toString('base64'),
                parent_span_id: '0000000000000000',
                name: 'op',
                kind: 'SPAN_KIND_CLIENT',
                // biome-ignore lint/correctness/noPrecisionLoss: decoders must cope with nanosecond times that a JS number cannot hold exactly
                start_time_unix_nano: 1_700_000_000_123_456_789,
                endTimeUnixNano: '1700000001000000000',
                attributes: [
                  {
                    key: 'nested',
                    value: {
                      kvlistValue: {
                        values: [
                          {
                            key: 'list',
                            value: {
                              arrayValue: {
                                values: [{ stringValue: 'a' }, { intValue: '2' }, { kvlistValue: { values: [{ key: 'deep', value: { boolValue: true } }] } }],
                              },
                            },
                          },
                          { key: 'bytes', value: { bytesValue: Buffer.from('hello').toString('base64') } },
                          { key: 'empty', value: {} },
                        ],
                      },
                    },
                  },
                  { key: 'big', value: { intValue: '9007199254740993' } },
                  { key: 'neg', value: { int_value: -42 } },
                  { key: '__proto__', value: { stringValue: 'not a prototype' } },
                ],
                status: { code: 'STATUS_CODE_OK' },
              },
            ],
          },
        ],
      },
    ],
  });

  it('decodes both to the same export', () => {
    const a = decodeOtlpProtobuf(protoReq);
    const b = decodeOtlpJson(jsonReq);
    expect(b).toStrictEqual(a);
    const span = a.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(span.traceId).toBe(traceId);
    expect(span.spanId).toBe(spanId);
    expect(span.parentSpanId).toBeUndefined(); // an all-zero parent is no parent
    expect(span.startTimeMs).toBe(1_700_000_000_123.457);
    expect(span.endTimeMs).toBe(1_700_000_001_000);
    expect(span.attributes.nested).toEqual({ list: ['a', 2, { deep: true }], bytes: 'aGVsbG8=', empty: null });
    expect(span.attributes.big).toBe('9007199254740993'); // beyond 2^53: exact text, not a rounded number
    expect(span.attributes.neg).toBe(-42);
    expect(Object.getPrototypeOf(span.attributes)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(span.attributes, '__proto__')?.value).toBe('not a prototype');
    expect(a.resourceSpans[0]!.scopeSpans[0]!.scope).toEqual({ name: 'lib', version: undefined, attributes: {} });
  });

  it('accepts empty requests', () => {
    expect(decodeOtlpProtobuf(Buffer.alloc(0))).toEqual({ resourceSpans: [] });
    expect(decodeOtlpJson('{}')).toEqual({ resourceSpans: [] });
    expect(decodeOtlpJson({ resourceSpans: [] })).toEqual({ resourceSpans: [] });
  });

  it('passes malformed ids through for ingestion to reject, rather than failing the whole request', () => {
    const e = decodeOtlpJson({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'xyz', spanId: '', startTimeUnixNano: '1' }] }] }] });
    expect(e.resourceSpans[0]!.scopeSpans[0]!.spans[0]).toMatchObject({ traceId: 'xyz', spanId: '' });
  });
});

describe('undecodable input is a BAD_REQUEST, never a crash', () => {
  it('rejects random bytes or decodes them into something harmless', () => {
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const outcomes = { ok: 0, rejected: 0 };
    for (let i = 0; i < 2000; i++) {
      const buf = Buffer.alloc(1 + Math.floor(rand() * 200));
      for (let j = 0; j < buf.length; j++) buf[j] = Math.floor(rand() * 256);
      outcomes[decodesOrRejects(() => decodeOtlpProtobuf(buf))]++;
    }
    expect(outcomes.rejected).toBeGreaterThan(1500);
  });

  it('rejects truncated messages', () => {
    const { proto, json } = serialize(tree());
    for (let cut = 1; cut < proto.length; cut++) decodesOrRejects(() => decodeOtlpProtobuf(proto.subarray(0, cut)));
    badRequest(() => decodeOtlpProtobuf(proto.subarray(0, proto.length - 1)));
    badRequest(() => decodeOtlpProtobuf(proto.subarray(0, proto.length >> 1)));
    badRequest(() => decodeOtlpJson(json.slice(0, -1)));
  });

  it('rejects JSON of the wrong shape with the place it went wrong', () => {
    for (const body of ['', 'not json', 'null', '[]', '"text"', '42']) badRequest(() => decodeOtlpJson(body));
    const cases: [unknown, string][] = [
      [{ resourceSpans: {} }, 'resourceSpans must be an array'],
      [{ resourceSpans: [5] }, 'resourceSpans[0]'],
      [{ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 5 }] }] }] }, 'spans[0]: traceId must be a string'],
      [{ resourceSpans: [{ scopeSpans: [{ spans: [{ startTimeUnixNano: 'soon' }] }] }] }, 'startTimeUnixNano'],
      [{ resourceSpans: [{ scopeSpans: [{ spans: [{ attributes: {} }] }] }] }, 'attributes must be an array'],
      [{ resourceSpans: [{ scopeSpans: [{ spans: [{ attributes: [{ key: 'a', value: { intValue: 'x' } }] }] }] }] }, 'intValue'],
      [{ resourceSpans: [{ scopeSpans: [{ spans: [{ kind: 'SIDEWAYS' }] }] }] }, 'kind'],
      [{ resourceSpans: [{ resource: [] }] }, 'resource must be an object'],
    ];
    for (const [body, message] of cases) expect(badRequest(() => decodeOtlpJson(JSON.stringify(body))).message).toContain(message);
  });

  it('limits how deeply attribute values nest, the same way in both encodings', () => {
    const nest = (levels: number) => {
      let proto: IAnyValue = { stringValue: 'leaf' };
      let json: unknown = { stringValue: 'leaf' };
      for (let i = 0; i < levels; i++) {
        proto = i % 2 ? { arrayValue: { values: [proto] } } : { kvlistValue: { values: [{ key: 'k', value: proto }] } };
        json = i % 2 ? { arrayValue: { values: [json] } } : { kvlistValue: { values: [{ key: 'k', value: json }] } };
      }
      const ids = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };
      const protoSpan = { traceId: Buffer.from(ids.traceId, 'hex'), spanId: Buffer.from(ids.spanId, 'hex'), attributes: [{ key: 'deep', value: proto }] };
      return {
        proto: () => decodeOtlpProtobuf(encode({ resourceSpans: [{ scopeSpans: [{ spans: [protoSpan] }] }] })),
        json: () => decodeOtlpJson({ resourceSpans: [{ scopeSpans: [{ spans: [{ ...ids, attributes: [{ key: 'deep', value: json }] }] }] }] }),
      };
    };
    const fine = nest(32);
    expect(fine.json()).toStrictEqual(fine.proto());
    const deep = nest(33);
    badRequest(deep.proto);
    badRequest(deep.json);
  });
});
