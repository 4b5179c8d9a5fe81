/**
 * The first sentence of a sign-out's result: what was ended (or cleared), and where. The outcome's
 * `seen` follows it and says how Revoke knows ("Revoke listed the sessions again and it is gone.").
 * A sentence never says more than the status: "not confirmed" is never worded as done.
 * One whole sentence per status, verb and place (outcome_* in _locales), never glued from parts.
 */
import { t, type MessageKey } from '../i18n/t';
import type { RevokeOutcome } from '../sessions/types';

export interface OutcomeSubject {
  /** A noun phrase from the what_* messages: "the session on Safari on iOS", "every other session". */
  what: string;
  /** Where, usually the site's host. */
  where?: string;
  /** Sessions are ended; this browser's login state is cleared. */
  verb?: 'end' | 'clear';
}

const STATUS = { working: 'working', confirmed: 'confirmed', 'not-confirmed': 'notConfirmed', failed: 'failed' } as const;

export function outcomeHead(status: RevokeOutcome['status'] | 'working', s: OutcomeSubject): string {
  const key = `outcome_${s.verb ?? 'end'}_${STATUS[status]}` as const;
  return s.where ? t(`${key}_at` as MessageKey, s.what, s.where) : t(key as MessageKey, s.what);
}
