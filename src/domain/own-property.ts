/**
 * Sets `o[key] = value` as an own data property. Client-chosen keys (metadata, headers, attributes) may be
 * "__proto__": a plain assignment would call the prototype setter and silently drop the entry.
 */
export function setOwn<T>(o: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}
