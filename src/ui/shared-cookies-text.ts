import { formatList, t, tp } from '../i18n/t';
import type { SharedCookies } from '../connectors/types';

/** What the person reads about shared cookies a clear removed; empty when there were none. */
export function sharedCookiesText(shared: SharedCookies[] | undefined): string {
  return (shared ?? [])
    .map(({ domain, names }) => tp('sharedCookies', names.length, formatList(names.map((n) => t('quoted', n))), domain))
    .join(' ');
}
