/** Pure helpers for showing entries: order, search, formatting. */
import type { OtpEntry } from '../vault/types';
import { visibleText } from '../lib/untrusted-text';
import { t } from '../i18n/t';

/** True when `host` is `site` or one of its subdomains. */
export function hostMatchesSite(host: string, site: string): boolean {
  if (!host || !site) return false;
  const h = host.toLowerCase().replace(/^www\./, '');
  return h === site || h.endsWith('.' + site);
}

/**
 * Entries for the active tab's site first (they are what the person came for),
 * then the stored order (pinned first, then position), which the vault already gives.
 */
export function orderForSite(entries: readonly OtpEntry[], host: string | null): OtpEntry[] {
  if (!host) return [...entries];
  const here: OtpEntry[] = [];
  const rest: OtpEntry[] = [];
  for (const e of entries) (hostMatchesSite(host, e.site) ? here : rest).push(e);
  return here.concat(rest);
}

/** Every word of the query must appear in issuer, account, site or note (case-insensitive). */
export function matchesQuery(entry: OtpEntry, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = `${entry.issuer}\n${entry.account}\n${entry.site}\n${entry.note}`.toLowerCase();
  return words.every((w) => hay.includes(w));
}

/** "123456" -> "123 456", "12345678" -> "1234 5678"; Steam codes stay whole. */
export function groupDigits(code: string): string {
  if (!/^\d+$/.test(code) || code.length < 6) return code;
  const half = Math.ceil(code.length / 2);
  return `${code.slice(0, half)} ${code.slice(half)}`;
}

/** Names come from sites and imported files: hidden characters are shown escaped (src/lib/untrusted-text.ts). */
export function entryTitle(e: Pick<OtpEntry, 'issuer' | 'account'>): string {
  return visibleText(e.issuer || e.account || t('entries_unnamed'));
}

/** What the person reads after adding one code: which one, then any warning (a short secret). */
export function addedText(entry: Pick<OtpEntry, 'issuer' | 'account'>, warnings: readonly string[]): string {
  return [t('entries_added', entryTitle(entry)), ...warnings].join(' ');
}
