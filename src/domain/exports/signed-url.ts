import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../errors.js';

/**
 * Download links carry their own authorisation: an HMAC-SHA256 over export id, file id and expiry.
 * Anyone holding the link may download until it expires; changing any part of it breaks the signature.
 */
export function signDownload(secret: string, exportId: string, fileId: string, expiresAt: Date): string {
  return createHmac('sha256', secret)
    .update(`${exportId}\n${fileId}\n${Math.floor(expiresAt.getTime() / 1000)}`)
    .digest('base64url');
}

export function downloadPath(secret: string, exportId: string, fileId: string, expiresAt: Date): string {
  const expires = Math.floor(expiresAt.getTime() / 1000);
  const sig = signDownload(secret, exportId, fileId, expiresAt);
  return `/v1/logs/exports/${encodeURIComponent(exportId)}/file?file=${encodeURIComponent(fileId)}&expires=${expires}&sig=${sig}`;
}

export function verifyDownload(
  secret: string,
  input: { exportId: string; fileId?: string | null; expires?: string | null; sig?: string | null },
  now = new Date(),
): string {
  const { exportId, fileId, expires, sig } = input;
  if (!fileId || !expires || !sig || !/^\d{1,12}$/.test(expires)) throw new DomainError('FORBIDDEN', 'Invalid download link');
  const expiresAt = new Date(Number(expires) * 1000);
  const expected = Buffer.from(signDownload(secret, exportId, fileId, expiresAt));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new DomainError('FORBIDDEN', 'Invalid download link');
  if (expiresAt.getTime() < now.getTime()) throw new DomainError('FORBIDDEN', 'This download link has expired; request a new one');
  return fileId;
}
