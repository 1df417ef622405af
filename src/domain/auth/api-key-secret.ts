import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Secrets carry 256 random bits, so a fast hash is enough: there is nothing to brute-force. */
export function generateApiKeySecret(): string {
  return `lp-${randomBytes(32).toString('base64url')}`;
}

export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function safeEqualHex(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'hex');
  const bb = Buffer.from(b, 'hex');
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
