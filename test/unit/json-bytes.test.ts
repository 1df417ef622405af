import { describe, expect, it } from 'vitest';
import { parseJsonBytes } from '../../src/transports/json-bytes.js';

/** Large enough that the body is split (parts over 60 KB are split again). */
const big = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: `log-${i}`,
    text: `${'x'.repeat(1500)} "quoted" \\ back, [not] {structure}: ${i}`,
    n: i,
    ok: i % 2 === 0,
    none: null,
  }));

function same(text: string) {
  expect(parseJsonBytes(Buffer.from(text))).toEqual(JSON.parse(text));
}

function sameError(text: string) {
  let expected: unknown;
  try {
    JSON.parse(text);
  } catch (err) {
    expected = err;
  }
  expect(expected).toBeInstanceOf(SyntaxError);
  expect(() => parseJsonBytes(Buffer.from(text))).toThrow((expected as Error).message);
}

describe('parseJsonBytes', () => {
  it('parses a large batch, a large object and nested large containers exactly as JSON.parse', () => {
    same(JSON.stringify(big(200)));
    same(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: big(150) }] }], other: 'x', n: 1.5e300 }));
    same(` \n\t${JSON.stringify([big(60), { a: big(60) }, [], {}, 'tail'], null, 2)}\n `);
    same(JSON.stringify(big(100).map((l) => ({ ...l, unicode: 'é漢字😀\u2028' }))));
  });

  it('keeps "__proto__" as an own key, as JSON.parse does', () => {
    const text = `{"__proto__": {"polluted": true}, "logs": ${JSON.stringify(big(100))}}`;
    const parsed = parseJsonBytes(Buffer.from(text)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__', 'logs']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses malformed large bodies with JSON.parse’s own error', () => {
    const items = JSON.stringify(big(100)).slice(1, -1);
    sameError(`[${items},]`);
    sameError(`[${items},,1]`);
    sameError(`[${items}} `);
    sameError(`[${items}] trailing`);
    sameError(`[${items}`);
    sameError(`{"a" "b": ${JSON.stringify(big(100))}}`);
    sameError(`{"a": ${JSON.stringify(big(100))}, 1: 2}`);
    sameError(`[${items}, "unterminated]`);
  });

  it('parses very deep large nesting without exhausting the stack', () => {
    const depth = 40_000;
    const text = `${'['.repeat(depth)}${JSON.stringify(big(50))}${']'.repeat(depth)}`;
    let value = parseJsonBytes(Buffer.from(text));
    for (let i = 0; i < depth; i++) value = (value as unknown[])[0];
    expect(value).toEqual(big(50));
  });
});
