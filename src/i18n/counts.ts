import { t, type MessageKey } from './t';

/**
 * A sign out everywhere's counts, "2 confirmed · 1 failed": the zero ones left out (a user trial
 * read "0 not confirmed · 0 failed" as noise, and in German it wrapped to three lines).
 */
export function everywhereCounts(s: { confirmed: number; notConfirmed: number; failed: number }): string {
  const parts = ([[s.confirmed, 'everywhere_count_confirmed'], [s.notConfirmed, 'everywhere_count_notConfirmed'], [s.failed, 'everywhere_count_failed']] as [number, MessageKey][])
    .filter(([n]) => n > 0)
    .map(([n, key]) => t(key, n));
  return parts.length > 0 ? parts.join(' · ') : t('everywhere_count_confirmed', 0);
}
