/**
 * Codes change once per period, but the list re-renders every second for the
 * countdown: remember each entry's code for its current time step.
 */
import { decodeSecret, generateCode, type DecodedSecret } from '../vault/codes';
import type { OtpEntry } from '../vault/types';

export function timeStep(entry: OtpEntry, nowMs: number): number {
  return entry.type === 'hotp' ? entry.counter : Math.floor(nowMs / 1000 / entry.period);
}

/**
 * One per view: it holds decoded secrets, so it must die with the view that shows the codes
 * (which unmounts when the vault locks), never live at module level.
 */
export function createCodeCache() {
  const cache = new Map<string, { key: string; code: string; base32: string; secret: DecodedSecret }>();
  return (entry: OtpEntry, nowMs: number): string => {
    // The key covers everything that changes the code, so an edited entry recomputes.
    const key = `${timeStep(entry, nowMs)}|${entry.algorithm}|${entry.digits}|${entry.type}|${entry.period}`;
    const hit = cache.get(entry.id);
    if (hit && hit.key === key && hit.base32 === entry.secret) return hit.code;
    const secret = hit && hit.base32 === entry.secret ? hit.secret : decodeSecret(entry.secret);
    const code = generateCode(entry, nowMs, secret);
    cache.set(entry.id, { key, code, base32: entry.secret, secret });
    return code;
  };
}
