/** One sentence for where a linked account stands, shared by the options page and the welcome page. */
import type { AccountResult } from '../sessions/types';
import { describeFailure } from './session-bits';
import { visibleText } from './untrusted-text';

export type Said = { kind: 'okay' | 'notice' | 'error'; text: string };

export function describeResult(r: AccountResult | undefined): Said {
  if (!r) return { kind: 'notice', text: 'Not checked yet.' };
  if (r.state === 'ok') return { kind: 'okay', text: `Signed in as ${visibleText(r.whoami.account)}${r.sessions ? ` · ${r.sessions.length} session(s)` : ''}.` };
  if (r.state === 'signed-out') return { kind: 'notice', text: 'Not signed in on this browser. Sign in to the site in a tab, then re-check.' };
  return { kind: 'error', text: describeFailure(r.kind, r.message) };
}
