/**
 * Codes change once per period, but the list re-renders every second for the
 * countdown: remember each entry's code for its current time step.
 */
import { generateCode } from '../vault/codes';
import type { OtpEntry } from '../vault/types';

export function timeStep(entry: OtpEntry, nowMs: number): number {
  return entry.type === 'hotp' ? entry.counter : Math.floor(nowMs / 1000 / entry.period);
}

export function createCodeCache() {
  const cache = new Map<string, { key: string; code: string }>();
  return (entry: OtpEntry, nowMs: number): string => {
    // The key covers everything that changes the code, so an edited entry recomputes.
    const key = `${timeStep(entry, nowMs)}|${entry.secret}|${entry.algorithm}|${entry.digits}|${entry.type}|${entry.period}`;
    const hit = cache.get(entry.id);
    if (hit && hit.key === key) return hit.code;
    const code = generateCode(entry, nowMs);
    cache.set(entry.id, { key, code });
    return code;
  };
}
