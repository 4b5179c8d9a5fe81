/** One sentence for where a linked account stands, shared by the options page and the welcome page. */
import type { AccountResult } from '../sessions/types';
import { describeFailure } from './session-bits';
import { visibleText } from '../lib/untrusted-text';
import { t, tp } from '../i18n/t';

export type Said = { kind: 'okay' | 'notice' | 'error'; text: string };

export function describeResult(r: AccountResult | undefined): Said {
  if (!r) return { kind: 'notice', text: t('account_notChecked') };
  if (r.state === 'ok') {
    const account = visibleText(r.whoami.account);
    return { kind: 'okay', text: r.sessions ? t('result_signedInAsWithSessions', account, tp('sessions_count', r.sessions.length)) : t('result_signedInAs', account) };
  }
  if (r.state === 'signed-out') return { kind: 'notice', text: t('result_signedOut') };
  return { kind: 'error', text: describeFailure(r.kind, r.message, r.said) };
}
