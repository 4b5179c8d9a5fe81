/** Entry checks: the vault never stores garbage, and never returns it. */
import { base32Problem } from './base32';
import { say } from '../i18n/t';
import { VaultError, invalid } from './errors';
import type { EntryInput, OtpAlgorithm, OtpEntry, OtpType } from './types';


export const MIN_PASSWORD_LENGTH = 8;

const TYPES: readonly unknown[] = ['totp', 'hotp', 'steam'] satisfies OtpType[];
const ALGORITHMS: readonly unknown[] = ['SHA1', 'SHA256', 'SHA512'] satisfies OtpAlgorithm[];
export const INPUT_KEYS = [
  'type', 'secret', 'algorithm', 'digits', 'period', 'counter', 'issuer', 'account', 'note', 'site',
] as const satisfies readonly (keyof EntryInput)[];
// Generous bounds: they only keep absurd values out (a 1 MB "issuer" is an accident or an attack).
const MAX_SECRET_CHARS = 1024;
const MAX_TEXT_CHARS: Record<'issuer' | 'account' | 'site' | 'note', number> = {
  issuer: 1000, account: 1000, site: 1000, note: 10_000,
};
const MAX_PERIOD_SECONDS = 86_400;
const MAX_ID_CHARS = 200;

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * Exactly the EntryInput fields of `value` (extra properties are dropped), or VaultError
 * 'invalid-input' naming the first problem. Structural checks only: parsing what a person
 * typed (spaces in secrets, lower case, ...) happens before, in otp-uri.ts.
 * Every page sends what otp-uri.ts accepted, and that says its refusals in the person's language;
 * so only a bug or a hostile page meets these, and they stay plain English for the log (the
 * secret's, shared with otp-uri.ts, is said anyway).
 */
export function checkEntryInput(value: unknown): EntryInput {
  if (!isObject(value)) return invalid('An entry must be an object.');
  const { type, secret, algorithm, digits, period, counter } = value;
  if (!TYPES.includes(type)) invalid(`Unknown entry type: ${String(type)}.`);
  if (typeof secret !== 'string') return invalid('The secret must be text.');
  if (secret.length > MAX_SECRET_CHARS) invalid('The secret is too long.');
  const secretProblem = base32Problem(secret);
  if (secretProblem) invalid(say(secretProblem), secretProblem);
  if (!ALGORITHMS.includes(algorithm)) invalid(`Unknown algorithm: ${String(algorithm)}.`);
  const steam = type === 'steam';
  if (!Number.isInteger(digits) || (steam ? digits !== 5 : (digits as number) < 6 || (digits as number) > 8)) {
    invalid(steam ? 'Steam codes have 5 characters.' : 'Codes have 6 to 8 digits.');
  }
  if (!Number.isInteger(period) || (period as number) < 1 || (period as number) > MAX_PERIOD_SECONDS || (steam && period !== 30)) {
    invalid(steam ? 'Steam codes change every 30 seconds.' : `The period must be a whole number of seconds, 1 to ${MAX_PERIOD_SECONDS}.`);
  }
  if (!Number.isSafeInteger(counter) || (counter as number) < 0) invalid('The counter must be a whole number, 0 or more.');
  for (const field of ['issuer', 'account', 'site', 'note'] as const) {
    const text = value[field];
    if (typeof text !== 'string') invalid(`The ${field} must be text.`);
    else if (text.length > MAX_TEXT_CHARS[field]) invalid(`The ${field} is too long.`);
  }
  const out = {} as Record<string, unknown>;
  for (const key of INPUT_KEYS) out[key] = value[key];
  return out as unknown as EntryInput;
}

/** A complete stored entry: input plus identity and placement, checked the same way. */
export function checkEntry(value: unknown): OtpEntry {
  const input = checkEntryInput(value);
  const { id, pinned, position, createdAt, updatedAt } = value as Record<string, unknown>;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_CHARS) invalid('The entry has no valid id.');
  if (typeof pinned !== 'boolean') invalid('"pinned" must be true or false.');
  if (!Number.isSafeInteger(position) || (position as number) < 0) invalid('The position must be a whole number, 0 or more.');
  for (const time of [createdAt, updatedAt]) if (typeof time !== 'number' || !Number.isFinite(time)) invalid('The entry has an invalid time.');
  return { ...input, id, pinned, position, createdAt, updatedAt } as OtpEntry;
}

export function checkNewPassword(password: unknown): asserts password is string {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
    throw new VaultError('weak-password', `The password needs at least ${MIN_PASSWORD_LENGTH} characters.`, { key: 'vault_weakPassword', subs: [MIN_PASSWORD_LENGTH] });
  }
}

/** Pinned first, then by position; createdAt and id settle ties so the order never flickers. */
export function compareEntries(a: OtpEntry, b: OtpEntry): number {
  return Number(b.pinned) - Number(a.pinned) || a.position - b.position || a.createdAt - b.createdAt ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
