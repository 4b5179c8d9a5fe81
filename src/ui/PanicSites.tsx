/** A panic's per-site lines, as the popup's report and the audit log show them. */
import type { PanicAccountLine, PanicSiteReport } from '../sessions/types';
import { t, tp } from '../i18n/t';
import type { OutcomeSubject } from './outcome-text';
import { OutcomeLine, outcomeLineText } from './session-bits';
import { Untrusted } from './Untrusted';

/** What an account line's server step ended: every device's sessions, or (as "Any site") this browser's only. */
const serverSubject = (a: PanicAccountLine): OutcomeSubject => ({ what: t(a.endsOthers ? 'what_sessionsEveryDevice' : 'what_thisBrowsersSession') });
const localSubject = (): OutcomeSubject => ({ verb: 'clear', what: t('what_thisBrowsersLogin') });
const clearSubject = (s: PanicSiteReport): OutcomeSubject => ({ verb: 'clear', what: t('panic_what_site'), where: s.site });

export function PanicSites({ sites }: { sites: PanicSiteReport[] }) {
  return (
    <ul class="summary-list">
      {sites.map((s) => (
        <li key={s.site} data-panic-site={s.site} data-kept={s.kept ? 'true' : undefined}>
          <strong><Untrusted text={s.site} /></strong>
          {s.kept && <p class="muted small">{tp('panic_kept', s.cookies)}</p>}
          {s.accounts.map((a) => (
            <div key={a.accountId}>
              <p class="small"><Untrusted text={a.name} /></p>
              {a.server === 'skipped' ? <p class="muted small">{t('everywhere_skipped')}</p> : <OutcomeLine outcome={a.server} {...serverSubject(a)} />}
              {a.local !== 'skipped' && <OutcomeLine outcome={a.local} {...localSubject()} />}
            </div>
          ))}
          {s.cleared && <OutcomeLine outcome={s.cleared} {...clearSubject(s)} />}
        </li>
      ))}
    </ul>
  );
}

/** The words PanicSites shows, line by line, as plain text (for the audit log's search). */
export function panicSitesText(sites: readonly PanicSiteReport[]): string {
  return sites.flatMap((s) => [
    s.site,
    ...(s.kept ? [tp('panic_kept', s.cookies)] : []),
    ...s.accounts.flatMap((a) => [
      a.name,
      a.server === 'skipped' ? t('everywhere_skipped') : outcomeLineText(a.server, serverSubject(a)),
      ...(a.local === 'skipped' ? [] : [outcomeLineText(a.local, localSubject())]),
    ]),
    ...(s.cleared ? [outcomeLineText(s.cleared, clearSubject(s))] : []),
  ]).join('\n');
}
