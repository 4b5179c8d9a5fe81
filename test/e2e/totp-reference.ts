/**
 * An independent RFC 6238 implementation on node:crypto for checking what the
 * extension displays (the extension itself uses the otpauth library).
 */
import { createHmac } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Decode(s: string): Buffer {
  let bits = '';
  for (const c of s.replace(/[\s=-]/g, '').toUpperCase()) bits += ALPHABET.indexOf(c).toString(2).padStart(5, '0');
  const bytes = bits.match(/.{8}/g) ?? [];
  return Buffer.from(bytes.map((b) => parseInt(b, 2)));
}

export function referenceTotp(secretBase32: string, unixMs: number, { period = 30, digits = 6, algo = 'sha1' } = {}): string {
  const counter = Math.floor(unixMs / 1000 / period);
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const h = createHmac(algo, base32Decode(secretBase32)).update(msg).digest();
  const o = h[h.length - 1]! & 0xf;
  const n = (h.readUInt32BE(o) & 0x7fffffff) % 10 ** digits;
  return String(n).padStart(digits, '0');
}

/** Waits until at least `margin` seconds remain in the current period, so a read code cannot roll over mid-check. */
export async function awayFromBoundary(period = 30, margin = 3): Promise<void> {
  const left = period - ((Date.now() / 1000) % period);
  if (left < margin) await new Promise((r) => setTimeout(r, left * 1000 + 200));
}
