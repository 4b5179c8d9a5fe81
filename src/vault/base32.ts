/** RFC 4648 base32 (no padding), as used by TOTP/HOTP secrets, with the forgiving clean-up people need. */
import { say, type Said } from '../i18n/t';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

// Secrets are shown grouped ("JBSW Y3DP", "JBSW-Y3DP") and often padded; none of that is data.
// Unicode dashes and no-break spaces arrive when a secret is copied from a web page.
const IGNORED = /[\s\-\u2010-\u2015\u2212=]/g;

/**
 * Strips spaces, dashes and `=` padding and upper-cases ASCII letters. Never throws.
 * Only ASCII is upper-cased: `"ß".toUpperCase()` is "SS", which would turn garbage into valid base32.
 */
export function normalizeBase32(raw: string): string {
  return raw.replace(IGNORED, '').replace(/[a-z]+/g, (s) => s.toUpperCase());
}

/** Lengths whose bit count cannot come from whole bytes (e.g. 1 char = 5 bits, not even one byte). */
const IMPOSSIBLE_REMAINDERS = new Set([1, 3, 6]);

/** What is wrong with an already normalised secret, as a sentence a person can act on; null when it is valid. */
export function base32Problem(normalized: string): Said | null {
  if (normalized.length === 0) return { key: 'otpInput_secretEmpty' };
  const bad = /[^A-Z2-7]/u.exec(normalized);
  if (bad) return { key: 'otpInput_secretChar', subs: [describeChar(bad[0])] };
  if (IMPOSSIBLE_REMAINDERS.has(normalized.length % 8)) return { key: 'otpInput_secretLength', subs: [normalized.length] };
  return null;
}

/** `base32Problem` in the browser's language. */
export function base32Error(normalized: string): string | null {
  const problem = base32Problem(normalized);
  return problem && say(problem);
}

/** Quote a character, or name it by code point when it would be invisible or confusing when quoted. */
export function describeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  const visible = /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(ch) && !(cp >= 0xd800 && cp <= 0xdfff);
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return visible ? `'${ch}'` : hex;
}

/** Decodes a secret (normalising it first). Throws an Error with `base32Error`'s text when it is invalid. */
export function base32ToBytes(raw: string): Uint8Array {
  const s = normalizeBase32(raw);
  const error = base32Error(s);
  if (error) throw new Error(error);
  const out = new Uint8Array(Math.floor((s.length * 5) / 8));
  let bits = 0;
  let acc = 0;
  let i = 0;
  for (const ch of s) {
    acc = ((acc << 5) | ALPHABET.indexOf(ch)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[i++] = (acc >> bits) & 0xff;
    }
  }
  // Leftover bits (< 8) are padding; lenient decoders ignore them, and so do we.
  return out;
}

/** Encodes bytes as upper-case base32 without padding (the canonical form secrets are stored in). */
export function bytesToBase32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let acc = 0;
  for (const byte of bytes) {
    acc = ((acc << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(acc >> bits) & 31];
    }
  }
  if (bits > 0) out += ALPHABET[(acc << (5 - bits)) & 31];
  return out;
}
