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

export function PanicPanel({ askNow = false, onFinished }: { askNow?: boolean; onFinished: () => void }) {
  const [state, setState] = useState<PanicState | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [running, setRunning] = useState(false);
  const [report, setReport] = useState<PanicReport | null>(null);
  const [error, setError] = useState('');
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    void call('panic/state', null).then((s) => {
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

  if (!state) return error ? <div class="pad"><p class="error small" role="alert">{error}</p></div> : null;
  const on = state.enabled && state.permission;
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
