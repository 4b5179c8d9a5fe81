/**
 * Panic's settings in storage.local (nothing secret): whether it is on, and the sites it keeps.
 * "On" also needs the all-sites permission, which the options page asks for when it is turned on
 * and gives back when it is turned off; the background checks it again before each run.
 */
import { keepEntry } from '../sessions/panic-plan';
import { sanitizedRecord, type KeyValueArea } from './settings';

export interface PanicSettings {
  enabled: boolean;
  /** Sites (registrable domains, or IP hosts) panic leaves alone. */
  keep: string[];
}

const KEY = 'panic';
const MAX_KEEP = 200;

export function sanitizePanic(raw: unknown, base: PanicSettings = { enabled: false, keep: [] }): PanicSettings {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<Record<keyof PanicSettings, unknown>>;
  const keep = Array.isArray(r.keep)
    ? [...new Set(r.keep.flatMap((k) => (typeof k === 'string' ? [keepEntry(k)] : [])).filter((k): k is string => k !== null))].slice(0, MAX_KEEP).sort()
    : base.keep;
  return { enabled: typeof r.enabled === 'boolean' ? r.enabled : base.enabled, keep };
}

export function createPanicSettings(area: KeyValueArea) {
  return sanitizedRecord(area, KEY, sanitizePanic);
}
export type PanicSettingsStore = ReturnType<typeof createPanicSettings>;
