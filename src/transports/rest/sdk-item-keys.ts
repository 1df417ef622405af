/**
 * The SDK snake-cases only the top-level keys of a body, so items of an array keep the caller's camelCase
 * (`traceID`). Applied to the items of an array body: `traceID` -> `trace_id`, as the SDK does at the top.
 */
export function snakeCaseItemKeys(body: unknown): unknown {
  if (!Array.isArray(body)) return body;
  return body.map((item) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return item;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(item)) {
      const snake = k.replace(/([a-z0-9])([A-Z]+)/g, '$1_$2').toLowerCase();
      if (!(snake in out) || snake === k) out[snake] = v;
    }
    return out;
  });
}
