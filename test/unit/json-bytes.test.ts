import { describe, expect, it, vi } from 'vitest';
import { parseJsonBytes } from '../../src/transports/json-bytes.js';

/** Large enough that a batch of them is split (bodies over 60 KB). */
const big = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: `log-${i}`,
    text: `${'x'.repeat(1500)} "quoted" and "odd, [not] {structure} \\ back: ${i}`,
    n: i,
    ok: i % 2 === 0,
    none: null,
    // Quotes after runs of backslashes: odd runs escape the quote, even ones end the string.
    tail: i % 2 === 0 ? 'ends with a backslash \\' : 'a backslash then a quote \\" and [',
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
  it('parses a large batch, and large objects and nested containers, exactly as JSON.parse', () => {
    same(JSON.stringify(big(200)));
    same(` \n\t${JSON.stringify([big(60), { a: big(60) }, [], {}, 'tail', 1.5e300, null], null, 2)}\n `);
    same(JSON.stringify(big(100).map((l) => ({ ...l, unicode: 'é漢字😀\u2028' }))));
    same(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: big(150) }] }], other: 'x' }));
  });

  it('never decodes a large batch as one string (V8 allocates strings over 128 KB at a cost; see json-bytes.ts)', () => {
    const text = JSON.stringify(big(200));
    expect(text.length).toBeGreaterThan(300_000);
    const parse = vi.spyOn(JSON, 'parse');
    try {
      expect(parseJsonBytes(Buffer.from(text))).toHaveLength(200);
      expect(parse).toHaveBeenCalledTimes(200);
      expect(Math.max(...parse.mock.calls.map(([t]) => t.length))).toBeLessThan(128 * 1024);
    } finally {
      parse.mockRestore();
    }
  });

  it('keeps "__proto__" keys of batch items as own keys, as JSON.parse does', () => {
    const text = JSON.stringify(big(100)).replace(/"id":/g, '"__proto__":');
    const parsed = parseJsonBytes(Buffer.from(text)) as Record<string, unknown>[];
    expect(parsed).toEqual(JSON.parse(text));
    expect(Object.getPrototypeOf(parsed[0])).toBe(Object.prototype);
    expect(Object.keys(parsed[0]!)[0]).toBe('__proto__');
  });

  it('refuses malformed large bodies with JSON.parse’s own error', () => {
    const items = JSON.stringify(big(100)).slice(1, -1);
    sameError(`[${items},]`);
    sameError(`[${items},,1]`);
    sameError(`[${items}} `);
    sameError(`[${items}] trailing`);
    sameError(`[${items}`);
    sameError(`{"a" "b": ${JSON.stringify(big(100))}}`);
    sameError(`[${items}, {"a" 1}]`);
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
