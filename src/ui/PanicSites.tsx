/** A panic's per-site lines, as the popup's report and the audit log show them. */
import type { PanicSiteReport } from '../sessions/types';
import { t, tp } from '../i18n/t';
import { OutcomeLine } from './session-bits';
import { Untrusted } from './Untrusted';

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
              {a.server === 'skipped' ? <p class="muted small">{t('everywhere_skipped')}</p> : <OutcomeLine outcome={a.server} what={t(a.endsOthers ? 'what_sessionsEveryDevice' : 'what_thisBrowsersSession')} />}
              {a.local !== 'skipped' && <OutcomeLine outcome={a.local} verb="clear" what={t('what_thisBrowsersLogin')} />}
            </div>
          ))}
          {s.cleared && <OutcomeLine outcome={s.cleared} verb="clear" what={t('panic_what_site')} where={s.site} />}
        </li>
      ))}
    </ul>
  );
}
