/** Dates and times in the browser's language (Intl), never spelled out by hand. */
import { dateTimeFormat, relativeTimeFormat, t } from '../i18n/t';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [['second', 1], ['minute', 60], ['hour', 3600], ['day', 86_400]];

/** "just now", "3 min ago", "5 hr ago", "in 2 days"; beyond two weeks either way, the date. */
export function timeAgo(then: number, now: number): string {
  const s = Math.round((then - now) / 1000);
  const abs = Math.abs(s);
  if (abs < 45) return t('time_justNow');
  if (abs >= 14 * 86_400) return formatDate(then);
  const [unit, size] = abs < 3600 ? UNITS[1]! : abs < 86_400 ? UNITS[2]! : UNITS[3]!;
  return relativeTimeFormat({ numeric: 'auto', style: 'short' }).format(Math.round(s / size), unit);
}

export const formatDate = (at: number) => dateTimeFormat({ dateStyle: 'medium' }).format(at);
export const formatDateTime = (at: number) => dateTimeFormat({ dateStyle: 'medium', timeStyle: 'short' }).format(at);
