/**
 * The portkey-ai SDK (3.1.0) sends an array body as an object keyed "0", "1", … (its body serialiser walks
 * keys). Wherever a REST body may be an array, such an object is that array. Only keys exactly 0..n-1 count,
 * so an ordinary object (a single item) is never mistaken for a batch.
 */
export function indexedObjectAsArray(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const keys = Object.keys(body);
  if (keys.length === 0) return body;
  // Integer-like keys enumerate first and in ascending order, so position i must hold the key "i".
  for (let i = 0; i < keys.length; i++) if (keys[i] !== String(i)) return body;
  return keys.map((k) => (body as Record<string, unknown>)[k]);
}
