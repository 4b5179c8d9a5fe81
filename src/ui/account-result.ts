/** One sentence for where a linked account stands, shared by the options page and the welcome page. */
import type { AccountResult } from '../sessions/types';
import { describeFailure } from './session-bits';
import { visibleText } from '../lib/untrusted-text';
import { say, t, tp } from '../i18n/t';
import { timeAgo } from './time';

export type Said = { kind: 'okay' | 'notice' | 'error'; text: string };

export function describeResult(r: AccountResult | undefined): Said {
  if (!r) return { kind: 'notice', text: t('account_notChecked') };
  if (r.state === 'ok') {
    const account = visibleText(r.whoami.account);
    // "1 session" would read as "no others" where the site hides them for now, or mentions more
    // than it lists (WordPress).
    if (r.hidden) return { kind: 'notice', text: t('result_othersHidden', account, say(r.hidden)) };
    if (r.sessions && r.unlisted !== undefined) return { kind: 'okay', text: t('result_signedInAsWithUnlisted', account, tp('sessions_count', r.sessions.length)) };
    return { kind: 'okay', text: r.sessions ? t('result_signedInAsWithSessions', account, tp('sessions_count', r.sessions.length)) : t('result_signedInAs', account) };
  }
  if (r.state === 'signed-out') return { kind: 'notice', text: t('result_signedOut') };
  return { kind: 'error', text: describeFailure(r.kind, r.message, r.said) };
}

/** The same, with when it was checked ("(checked 3 min ago)"), as the account cards show it. */
export function describeChecked(r: AccountResult | undefined, fetchedAt: number | undefined, now: number): Said {
  const d = describeResult(r);
  return fetchedAt ? { ...d, text: `${d.text} ${t('accounts_checked', timeAgo(fetchedAt, now))}` } : d;
}
