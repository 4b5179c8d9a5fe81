/**
 * When the watch runs: every N hours (default 6, or off), kept in storage.local (nothing secret),
 * carried out by a repeating alarm, which outlives the service worker (setInterval would not).
 */
import type { KeyValueArea } from './settings';

export const WATCH_ALARM = 'revoke/watch';
export const DEFAULT_WATCH_HOURS = 6;
/** The choices the options page offers; 0 is off. */
export const WATCH_HOURS = [0, 1, 3, 6, 12, 24] as const;
const KEY = 'watch';

export interface RepeatingAlarms {
  create(name: string, info: { periodInMinutes: number; delayInMinutes: number }): void | Promise<void>;
  clear(name: string): Promise<boolean> | Promise<void> | void;
  get(name: string): Promise<{ periodInMinutes?: number } | undefined | null>;
}

/** Anything stored or sent becomes one of the choices (else the default). */
export function sanitizeHours(v: unknown): number {
  const n = typeof v === 'number' ? v : Number(v);
  return (WATCH_HOURS as readonly number[]).includes(n) ? n : DEFAULT_WATCH_HOURS;
}

export function createWatchSchedule(deps: { area: KeyValueArea; alarms: RepeatingAlarms }) {
  async function everyHours(): Promise<number> {
    const stored = (await deps.area.get(KEY))[KEY];
    return sanitizeHours(typeof stored === 'object' && stored !== null ? (stored as { everyHours?: unknown }).everyHours : undefined);
  }

  /** Makes the alarm match the setting; an alarm already right is left alone (its next run keeps its time). */
  async function sync(hours?: number): Promise<void> {
    const h = hours ?? (await everyHours());
    if (h === 0) {
      await deps.alarms.clear(WATCH_ALARM);
      return;
    }
    const existing = await deps.alarms.get(WATCH_ALARM);
    if (existing?.periodInMinutes === h * 60) return;
    await deps.alarms.create(WATCH_ALARM, { periodInMinutes: h * 60, delayInMinutes: h * 60 });
  }

  return {
    everyHours,
    sync,
    async set(hours: unknown): Promise<number> {
      const h = sanitizeHours(hours);
      await deps.area.set({ [KEY]: { everyHours: h } });
      await sync(h);
      return h;
    },
  };
}
export type WatchSchedule = ReturnType<typeof createWatchSchedule>;
