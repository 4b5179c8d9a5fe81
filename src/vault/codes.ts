/**
 * One-time codes for stored entries: RFC 4226 HOTP (HMAC, dynamic truncation), with RFC 6238's
 * time steps. The HMAC comes from @noble/hashes (synchronous, so a list of codes renders in one
 * pass; WebCrypto's HMAC is asynchronous), already shipped for scrypt imports.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { base32ToBytes } from './base32';
import type { EntryInput, OtpAlgorithm } from './types';

export type CodeParams = Pick<EntryInput, 'type' | 'secret' | 'algorithm' | 'digits' | 'period' | 'counter'>;

/**
 * A secret decoded for code generation. Decoding costs more than the HMAC, so callers that show
 * codes every second keep these per entry (src/ui/code-cache.ts). Deliberately no module-level
 * cache here: it would keep every secret a page has seen alive after the vault locks.
 */
export type DecodedSecret = Uint8Array;

export function decodeSecret(base32: string): DecodedSecret {
  return base32ToBytes(base32);
}

const HASHES = { SHA1: sha1, SHA256: sha256, SHA512: sha512 } satisfies Record<OtpAlgorithm, unknown>;

/** RFC 4226 section 5.3: HMAC of the 8-byte big-endian counter, 31 bits from the offset its last nibble names. */
function hotp(secret: DecodedSecret, algorithm: OtpAlgorithm, digits: number, counter: number): string {
  if (!Number.isSafeInteger(counter) || counter < 0) throw new RangeError(`Invalid counter: ${counter}`);
  const message = new Uint8Array(8);
  const view = new DataView(message.buffer);
  view.setUint32(0, Math.floor(counter / 2 ** 32));
  view.setUint32(4, counter >>> 0);
  const mac = hmac(HASHES[algorithm], secret, message);
  const offset = mac[mac.length - 1]! & 0x0f;
  const value = new DataView(mac.buffer, mac.byteOffset).getUint32(offset) & 0x7fffffff;
  return String(value % 10 ** digits).padStart(digits, '0');
}

/** The RFC 6238 time step: whole seconds since the epoch divided by the period. */
export function timeCounter(period: number, nowMs: number): number {
  if (!Number.isFinite(nowMs) || nowMs < 0) throw new RangeError(`Invalid time: ${nowMs}`);
  // A zero or fractional period would silently give the code of some other step.
  if (!Number.isSafeInteger(period) || period < 1) throw new RangeError(`Invalid period: ${period}`);
  return Math.floor(Math.floor(nowMs / 1000) / period);
}

/** Seconds until the current time-based code changes: `period` right after a change, 1 just before. */
export function secondsRemaining(period: number, nowMs: number): number {
  return period - (Math.floor(nowMs / 1000) % period);
}

const STEAM_ALPHABET = '23456789BCDFGHJKMNPQRTVWXY';

/**
 * Steam Guard maps the 31-bit truncated HMAC-SHA1 value onto 5 letters. That value is below
 * 2^31 < 10^10, so a 10-digit HOTP is exactly the value, zero-padded.
 */
function steamCode(secret: DecodedSecret, counter: number): string {
  let value = Number(hotp(secret, 'SHA1', 10, counter));
  let code = '';
  for (let i = 0; i < 5; i++) {
    code += STEAM_ALPHABET[value % STEAM_ALPHABET.length];
    value = Math.floor(value / STEAM_ALPHABET.length);
  }
  return code;
}

/**
 * The code to show for an entry at `nowMs` (hotp: at `entry.counter`, time ignored).
 * Expects a validated entry; throws on an invalid secret or a time before 1970. `secret` is
 * `entry.secret` decoded, for callers that keep it.
 */
export function generateCode(entry: CodeParams, nowMs: number, secret = decodeSecret(entry.secret)): string {
  switch (entry.type) {
    case 'hotp':
      return hotp(secret, entry.algorithm, entry.digits, entry.counter);
    case 'steam':
      return steamCode(secret, timeCounter(30, nowMs));
    case 'totp':
      return hotp(secret, entry.algorithm, entry.digits, timeCounter(entry.period, nowMs));
    default:
      throw new Error(`Unknown entry type: ${String((entry as { type: unknown }).type)}`);
  }
}
