/**
 * One-time codes for stored entries. Dynamic truncation comes from the otpauth library; its bare
 * build takes the HMAC from the caller, so the one @noble/hashes copy the extension ships (the
 * import formats need it) serves both, instead of a second copy bundled inside otpauth's default
 * build, SHA-3 included, which no entry can use.
 */
import { HOTP, Secret } from 'otpauth/bare';
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { base32ToBytes } from './base32';
import type { EntryInput, OtpAlgorithm } from './types';

const HASHES: Record<OtpAlgorithm, typeof sha1> = { SHA1: sha1, SHA256: sha256, SHA512: sha512 };

/** What otpauth's bare build calls for the HMAC. Entries are validated, so another name is a bug. */
function hmacOf(algorithm: string, key: Uint8Array, message: Uint8Array): Uint8Array {
  const hash = Object.hasOwn(HASHES, algorithm) ? HASHES[algorithm as OtpAlgorithm] : undefined;
  if (!hash) throw new RangeError(`Unsupported algorithm: ${algorithm}`);
  return hmac(hash, key, message);
}

export type CodeParams = Pick<EntryInput, 'type' | 'secret' | 'algorithm' | 'digits' | 'period' | 'counter'>;

/**
 * A secret decoded for code generation. Decoding costs more than the HMAC, so callers that show
 * codes every second keep these per entry (src/ui/code-cache.ts). Deliberately no module-level
 * cache here: it would keep every secret a page has seen alive after the vault locks.
 */
export type DecodedSecret = Secret;

export function decodeSecret(base32: string): DecodedSecret {
  return new Secret({ buffer: base32ToBytes(base32).buffer });
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
 * 2^31 < 10^10, so a 10-digit HOTP is exactly the value, zero-padded: no truncation of our own needed.
 */
function steamCode(secret: Secret, counter: number): string {
  let value = Number(HOTP.generate({ secret, algorithm: 'SHA1', digits: 10, counter, hmac: hmacOf }));
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
      return HOTP.generate({ secret, algorithm: entry.algorithm, digits: entry.digits, counter: entry.counter, hmac: hmacOf });
    case 'steam':
      return steamCode(secret, timeCounter(30, nowMs));
    case 'totp':
      return HOTP.generate({ secret, algorithm: entry.algorithm, digits: entry.digits, counter: timeCounter(entry.period, nowMs), hmac: hmacOf });
    default:
      throw new Error(`Unknown entry type: ${String((entry as { type: unknown }).type)}`);
  }
}
