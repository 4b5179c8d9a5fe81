/**
 * The first sentence of a sign-out's result: what was ended (or cleared), and where. The outcome's
 * `seen` follows it and says how Revoke knows ("Revoke listed the sessions again and it is gone.").
 * A sentence never says more than the status: "not confirmed" is never worded as done.
 */
import type { RevokeOutcome } from '../sessions/types';

export interface OutcomeSubject {
  /** A noun phrase: "the session on Safari on iOS", "every other session". */
  what: string;
  /** Where, usually the site's host. */
  where?: string;
  /** Sessions are ended; this browser's login state is cleared. */
  verb?: 'end' | 'clear';
}

const at = (s: OutcomeSubject) => (s.where ? ` at ${s.where}` : '');

export function outcomeHead(status: RevokeOutcome['status'] | 'working', s: OutcomeSubject): string {
  const clear = s.verb === 'clear';
  switch (status) {
    case 'working': return `${clear ? 'Clearing' : 'Ending'} ${s.what}${at(s)}…`;
    case 'confirmed': return `${clear ? 'Cleared' : 'Ended'} ${s.what}${at(s)}.`;
    case 'not-confirmed': return `Revoke could not confirm that ${s.what}${at(s)} ${clear ? 'was cleared' : 'ended'}.`;
    case 'failed': return `Could not ${clear ? 'clear' : 'end'} ${s.what}${at(s)}.`;
  }
}
