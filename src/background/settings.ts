/** User settings, kept in storage.local (nothing secret in them). Validated on the way in. */
import { DEFAULT_SETTINGS, type Settings } from '../lib/messages';
import { isAuditRetention } from '../sessions/audit-retention';

/** The slice of a StorageArea this module needs (browser.storage.local fits). */
export interface KeyValueArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

const KEY = 'settings';

export const LIMITS = {
  autoLockMinutes: { min: 1, max: 24 * 60 },
  clipboardClearSeconds: { min: 5, max: 600 },
} as const;

function clampInt(value: unknown, { min, max }: { min: number; max: number }, fallback: number): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, Math.round(n)));
}

/** Anything read from storage or a message becomes a complete, valid Settings. */
export function sanitizeSettings(raw: unknown, base: Settings = DEFAULT_SETTINGS): Settings {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<Record<keyof Settings, unknown>>;
  return {
    autoLockMinutes: clampInt(r.autoLockMinutes ?? base.autoLockMinutes, LIMITS.autoLockMinutes, base.autoLockMinutes),
    lockOnSystemLock: typeof r.lockOnSystemLock === 'boolean' ? r.lockOnSystemLock : base.lockOnSystemLock,
    clipboardClearSeconds: clampInt(
      r.clipboardClearSeconds ?? base.clipboardClearSeconds, LIMITS.clipboardClearSeconds, base.clipboardClearSeconds,
    ),
    // Only the periods offered: an odd value must not shorten the log by accident.
    auditRetentionDays: isAuditRetention(r.auditRetentionDays) ? r.auditRetentionDays : base.auditRetentionDays,
  };
}

/**
 * One record under `key` that reads back complete and valid whatever storage holds: `sanitize`
 * turns the stored value, or a patch over the current one, into a whole record.
 */
export function sanitizedRecord<T>(area: KeyValueArea, key: string, sanitize: (raw: unknown, base?: T) => T) {
  const get = async (): Promise<T> => sanitize((await area.get(key))[key]);
  return {
    get,
    async update(patch: Partial<T>): Promise<T> {
      const next = sanitize(patch, await get());
      await area.set({ [key]: next });
      return next;
    },
  };
}

export function createSettingsStore(area: KeyValueArea) {
  return sanitizedRecord(area, KEY, sanitizeSettings);
}
export type SettingsStore = ReturnType<typeof createSettingsStore>;
