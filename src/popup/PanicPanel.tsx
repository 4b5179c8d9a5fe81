/**
 * Panic in the popup: the button, its confirm step and the per-site report. With panic off the
 * button leads to its section in settings, where the permission is asked for in the person's own
 * click; the popup never asks for it. Opened by the panic shortcut (`popup.html?panic`), the confirm
 * step shows at once.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PanicState, Reason } from '../lib/messages';
import type { PanicReport } from '../sessions/types';
import { call, errorText } from '../ui/client';
import { openOptions } from '../ui/open-options';
import { PanicSites } from '../ui/PanicSites';
import { ReasonPicker } from '../ui/session-bits';
import { t, tp } from '../i18n/t';

/** One read of panic's state per popup, shared by both places the panel may show. */
let stateRead: Promise<PanicState> | null = null;
const panicState = () => (stateRead ??= call('panic/state', null));

/**
 * `slot`: where this one shows. 'top' shows the Panic button only when panic is on; 'bottom' shows
 * the "set up panic" hint only when it is off, under the accounts rather than above this browser's
 * session (a user trial found it pushed that below the fold); 'any' shows either.
 */
export function PanicPanel({ slot = 'any', askNow = false, onFinished }: { slot?: 'top' | 'bottom' | 'any'; askNow?: boolean; onFinished: () => void }) {
  const [state, setState] = useState<PanicState | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [running, setRunning] = useState(false);
  const [report, setReport] = useState<PanicReport | null>(null);
  const [error, setError] = useState('');
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    void panicState().then((s) => {
      setState(s);
      if (askNow && s.enabled) setConfirming(true);
    }, (e) => setError(errorText(e)));
  }, []);
  useEffect(() => {
    if (report || running) box.current?.focus();
  }, [report, running]);

  async function run(reason: Reason) {
    setConfirming(false);
    setError('');
    setReport(null);
    setRunning(true);
    try {
      setReport(await call('panic/run', { reason }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setRunning(false);
      onFinished();
    }
  }

  if (!state) return error && slot !== 'bottom' ? <div class="pad"><p class="error small" role="alert">{error}</p></div> : null;
  const on = state.enabled && state.permission;
  // Asked for by the panic shortcut: at the top either way (off, it is the way to the settings).
  if ((slot === 'top' && !on && !askNow) || (slot === 'bottom' && (on || askNow))) return null;
  return (
    <div class="pad stack panic" data-panic>
      {!on && (
        <>
          <p class="muted small">{t('panic_offHint')}</p>
          <div><button onClick={() => openOptions('panic')}>{t('panic_setUp')}</button></div>
        </>
      )}
      {on && (confirming ? (
        <div class="stack confirm" role="group" aria-label={t('panic_confirm_label')}>
          <p><strong>{tp('panic_confirm', state.keep.length)}</strong></p>
          <p class="muted">{t('panic_confirmHint')}</p>
          <ReasonPicker defaultKind="shared-computer" confirmLabel={t('panic_go')} danger onConfirm={run} onCancel={() => setConfirming(false)} />
        </div>
      ) : (
        <button class="danger" disabled={running} onClick={() => setConfirming(true)}>{t(running ? 'panic_running' : 'panic_action')}</button>
      ))}
      {error && <p class="error small" role="alert">{error}</p>}
      {(running || report) && (
        <div class="summary stack" role="status" aria-label={t('panic_result_label')} tabIndex={-1} ref={box}>
          {running && <p class="muted small">{t('panic_running')}</p>}
          {report && (
            <>
              <strong>{t('panic_counts', report.confirmed, report.browserOnly, report.notConfirmed, report.failed, report.kept)}</strong>
              <PanicSites sites={report.sites} />
            </>
          )}
        </div>
      )}
    </div>
  );
}
