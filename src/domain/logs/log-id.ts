import { hash, randomUUID } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (s: string) => UUID.test(s);

/**
 * A client-supplied id maps to one stable log id per workspace, so a retried batch lands on the same
 * documents (the database's unique _id does the de-duplication, also across concurrent retries).
 */
export function logIdFor(workspaceId: string, clientId: string | undefined): string {
  if (clientId === undefined) return randomUUID();
  const h = hash('sha256', `${workspaceId}\0${clientId}`, 'hex'); // one-shot: a third of createHash's cost
  // Shaped as a UUID (version 8: custom) so every log id looks alike.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
