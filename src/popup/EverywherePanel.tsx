/**
 * "Sign out everywhere" in the popup: the button and its confirm step, the running job's progress,
 * its result, and the last job's summary. The job lives in the background's journal, so the panel
 * follows it there ('sessions/jobs'): a popup opened while a job runs shows its progress, and a
 * call cut by a worker restart keeps following the job until it finishes.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { everywhereCounts } from '../i18n/counts';
import { useFocusOnMount } from '../ui/focus';
import { AppError, type AccountView, type Reason } from '../lib/messages';
import type { JobProgress, JobStepState, JobsView } from '../sessions/types';
import { call, errorText } from '../ui/client';
import { OutcomeLine, ReasonPicker } from '../ui/session-bits';
import { timeAgo } from '../ui/time';
import { Untrusted } from '../ui/Untrusted';
import { t, tp, type MessageKey } from '../i18n/t';

const POLL_MS = 500;

type Finished = NonNullable<JobsView['last']>;

export function EverywherePanel({ views, onTick, onFinished }: {
  views: AccountView[];
  /** Called on every poll while a job runs (the account lists follow each account's step). */
  onTick: () => void;
  /** Called once the job is over. */
  onFinished: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [following, setFollowing] = useState(false);
  const [restarted, setRestarted] = useState(false);
  const [error, setError] = useState('');
  const [last, setLast] = useState<Finished | null>(null);
  const [open, setOpen] = useState(false);
  /** When this popup asked for a job: a finished job older than that is not its result. */
  const askedAt = useRef(0);
  // Closing the summary moves focus back to "Details" (the close button is gone); opening it moves
  // focus onto it (SummaryView).
  const details = useRef<HTMLButtonElement>(null);
  const closedHere = useRef(false);
  useEffect(() => {
    if (open || !closedHere.current) return;
    closedHere.current = false;
    details.current?.focus();
  }, [open]);
  const callPending = useRef(false);
  const alive = useRef(true);
  /** Set with `following`, but read at once by callbacks already under way (a poll and the call may both see the end). */
  const followingNow = useRef(false);

  function follow() {
    followingNow.current = true;
    setFollowing(true);
  }

  useEffect(() => {
    alive.current = true;
    void call('sessions/jobs', null).then((jobs) => {
      setLast(jobs.last);
      if (jobs.running) {
        setProgress(jobs.running);
        follow();
      }
    }, () => undefined); // the account lists say when the background cannot be reached
    return () => {
      alive.current = false;
    };
  }, []);

  // While a job runs: poll its progress until the journal says it is over.
  useEffect(() => {
    if (!following) return;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      try {
        const jobs = await call('sessions/jobs', null);
        if (!alive.current) return;
        onTick();
        if (jobs.running) setProgress(jobs.running);
        // While the request itself is still answering, its answer ends the job here.
        else if (!callPending.current) return finish(jobs.last);
      } catch (e) {
        if (e instanceof AppError && e.code === 'restarted') setRestarted(true);
        // Polled again: the next request wakes the background.
      }
      timer = setTimeout(poll, POLL_MS);
    };
    timer = setTimeout(poll, POLL_MS);
    return () => clearTimeout(timer);
  }, [following]);

  function finish(finished: Finished | null) {
    if (!followingNow.current) return;
    followingNow.current = false;
    setFollowing(false);
    setProgress(null);
    if (finished && finished.startedAt >= askedAt.current) {
      setLast(finished);
      setOpen(true);
      setRestarted(false);
    } else if (askedAt.current > 0) {
      setError(t('everywhere_restartedNothingSent'));
      setRestarted(false);
    }
    onFinished();
  }

  async function start(reason: Reason) {
    setConfirming(false);
    setError('');
    setOpen(false);
    askedAt.current = Date.now();
    callPending.current = true;
    follow();
    try {
      await call('sessions/sign-out-everywhere', { reason });
      callPending.current = false;
      const jobs = await call('sessions/jobs', null);
      if (alive.current) finish(jobs.last);
    } catch (e) {
      callPending.current = false;
      if (!alive.current) return;
      if (e instanceof AppError && e.code === 'restarted') {
        setRestarted(true); // the job is journalled: the restarted background finishes it, and the poll follows it
        return;
      }
      followingNow.current = false;
      setFollowing(false);
      setProgress(null);
      setError(errorText(e));
    }
  }

  const running = following;
  return (
    <div class="pad stack everywhere">
      {confirming ? (
        <div class="stack confirm" role="group" aria-label={t('everywhere_confirm_label')}>
          <p><strong>{tp('everywhere_confirm', views.length)}</strong></p>
          <p class="muted">{t('everywhere_confirmHint')}</p>
          <ReasonPicker defaultKind="shared-computer" confirmLabel={t('everywhere_action')} danger
            onConfirm={start} onCancel={() => setConfirming(false)} />
        </div>
      ) : (
        <button class="primary danger-fill" disabled={running} onClick={() => setConfirming(true)}>
          {t(running ? 'everywhere_running' : 'everywhere_action')}
        </button>
      )}
      {restarted && <p class="notice small" role="status">{t('everywhere_restarted')}</p>}
      {running && <ProgressView progress={progress} focus={askedAt.current > 0} />}
      {error && <p class="error small" role="alert">{error}</p>}
      {!running && last && (
        open
          ? <SummaryView summary={last} views={views} onClose={() => { setOpen(false); closedHere.current = true; }} />
          : (
            <div class="row muted small last-everywhere">
              <span class="grow">
                {t('everywhere_last', everywhereCounts(last), timeAgo(last.finishedAt, Date.now()))}
              </span>
              <button class="link" ref={details} onClick={() => setOpen(true)}>{t('action_details')}</button>
            </div>
          )
      )}
    </div>
  );
}

const STATE_TEXT: Record<JobStepState, MessageKey> = {
  pending: 'step_pending',
  'server-sent': 'step_serverSent',
  'server-done': 'step_serverDone',
  'local-done': 'step_localDone',
};

function ProgressView({ progress, focus }: { progress: JobProgress | null; focus: boolean }) {
  // Started here: the confirm form that held focus is gone, so focus waits on the progress.
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focus) box.current?.focus();
  }, [focus]);
  return (
    <div class="summary stack" role="status" aria-label={t('everywhere_progress_label')} tabIndex={-1} ref={box}>
      {progress ? <ProgressList progress={progress} /> : <p class="muted small">{t('everywhere_starting')}</p>}
    </div>
  );
}

function ProgressList({ progress }: { progress: JobProgress }) {
  return (
    <>
      <strong>{tp('everywhere_progress', progress.total, progress.done)}</strong>
      <ul class="summary-list">
        {progress.perAccount.map((a) => (
          <li key={a.accountId} data-step={a.state}>
            <strong><Untrusted text={a.name} /></strong> <span class="muted small">{t(STATE_TEXT[a.state])}</span>
          </li>
        ))}
      </ul>
    </>
  );
}

/**
 * What the server step ended, in words that do not overclaim: a service that
 * cannot see other sessions ("Any site") only ended this browser's session there.
 */
function serverStepLabel(view: AccountView | undefined): string {
  return t(view && !view.connector.can.revokeOthers ? 'what_thisBrowsersSession' : 'what_sessionsEveryDevice');
}

function SummaryView({ summary, views, onClose }: { summary: Finished; views: AccountView[]; onClose: () => void }) {
  const byId = new Map(views.map((v) => [v.account.id, v]));
  // It opens only when a sign-out this popup asked for is over (the button that started it is busy,
  // then gone) or when the person asks for the details: either way, focus moves here.
  const box = useFocusOnMount<HTMLDivElement>();
  return (
    <div class="summary stack" role="status" aria-label={t('everywhere_result_label')} tabIndex={-1} ref={box}>
      <div class="row">
        <strong class="grow">{everywhereCounts(summary)}</strong>
        <span class="muted small">{timeAgo(summary.finishedAt, Date.now())}</span>
        <button class="icon" aria-label={t('action_closeResult')} onClick={onClose}>✕</button>
      </div>
      <ul class="summary-list">
        {summary.perAccount.map((a) => (
          <li key={a.accountId}>
            <strong><Untrusted text={a.name} /></strong>
            {a.server !== 'skipped' && <OutcomeLine outcome={a.server} what={serverStepLabel(byId.get(a.accountId))} />}
            {a.server === 'skipped' && <p class="muted small">{t('everywhere_skipped')}</p>}
            {a.local !== 'skipped' && <OutcomeLine outcome={a.local} verb="clear" what={t('what_thisBrowsersLogin')} />}
          </li>
        ))}
      </ul>
    </div>
  );
}
