/**
 * Request and response bodies are stored as the JSON text received. Every reader (REST, typed APIs, exports)
 * turns them back into JSON here; text that somehow is not JSON comes back as the text itself.
 */
export function parseStoredBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
