/**
 * Linked accounts and their sessions: end one, end all others, sign out of a
 * site, or sign out everywhere. Everything a server sent is rendered as text.
 */
import { useEffect, useState } from 'preact/hooks';
import browser from '../lib/browser';
import { AppError, type AccountView, type Reason } from '../lib/messages';
import type { Session } from '../connectors/types';
import type { RevokeOutcome } from '../sessions/types';
import { call, errorText } from '../ui/client';
import { DeviceIcon, OutcomeLine, ReasonPicker, describeFailure } from '../ui/session-bits';
import { Untrusted } from '../ui/Untrusted';
import { visibleText } from '../ui/untrusted-text';
import { EverywherePanel } from './EverywherePanel';
import { timeAgo } from '../ui/time';
import { takeOverview } from './prefetch';

/** Account groups that fill the popup's first screen with room to spare. */
const FIRST_FRAME_ACCOUNTS = 6;

type Pending = { accountId: string; target: { id: string } | 'others' | 'all'; what: string };
/** A result with what it was about, so it stays readable after the session leaves the list. */
type Outcome = { outcome: RevokeOutcome; what: string };

export function SessionsView() {
  const [views, setViews] = useState<AccountView[] | null>(null);
  /** Accounts being checked now: each is asked on its own, so one slow site holds up no other. */
  const [checking, setChecking] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState('');
  const [pending, setPending] = useState<Pending | null>(null);
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>({});
  const now = Date.now();
  // The first frame shows the accounts that fit the popup; the rest follow right after.
  const [accountLimit, setAccountLimit] = useState(FIRST_FRAME_ACCOUNTS);

  /** Checks one account again and shows its result as soon as it arrives. */
  async function refreshOne(accountId: string) {
    setChecking((c) => new Set(c).add(accountId));
    try {
      const [fresh] = await call('sessions/refresh', { accountIds: [accountId] });
      setViews((vs) => vs && (fresh ? vs.map((v) => (v.account.id === accountId ? fresh : v)) : vs.filter((v) => v.account.id !== accountId)));
      setError('');
    } catch (e) {
      setError(errorText(e));
    } finally {
      setChecking((c) => {
        const next = new Set(c);
        next.delete(accountId);
        return next;
      });
    }
  }

  function refresh(list: AccountView[] | null = views) {
    for (const v of list ?? []) void refreshOne(v.account.id);
  }

  /** The cached view of every account, as the background keeps it (a sign-out updates it per account). */
  async function reloadOverview() {
    try {
      setViews(await call('sessions/overview', null));
    } catch {
      // Shown again on the next poll; the lists keep what they had.
    }
  }

  useEffect(() => {
    // Paint the last known state at once, then ask every site again.
    takeOverview().then((v) => {
      setViews(v);
      // For the benchmark: the frame that paints the cached sessions (and how many).
      requestAnimationFrame(() => {
        performance.mark('revoke:sessions-painted', { detail: document.querySelectorAll('li.session').length });
        setTimeout(() => setAccountLimit(Infinity));
      });
      refresh(v);
    }, (e) => setError(errorText(e)));
  }, []);

  async function revoke(p: Pending, reason: Reason) {
    setPending(null);
    const key = outcomeKey(p.accountId, p.target);
    setOutcomes((o) => ({ ...o, [key]: { what: p.what, outcome: { status: 'not-confirmed', seen: 'Working…' } } }));
    try {
      const outcome = await call('sessions/revoke', { accountId: p.accountId, target: p.target, reason });
      setOutcomes((o) => ({ ...o, [key]: { what: p.what, outcome } }));
    } catch (e) {
      // A cut call may or may not have reached the site: say so, and let the fresh check below show what it did.
      const outcome: RevokeOutcome = e instanceof AppError && e.code === 'restarted'
        ? { status: 'not-confirmed', seen: 'Revoke’s background restarted before it answered; the list shows what the site says now.' }
        : { status: 'failed', kind: 'server', message: errorText(e) };
      setOutcomes((o) => ({ ...o, [key]: { what: p.what, outcome } }));
    }
    void refreshOne(p.accountId);
  }

  if (views === null) return <div class="pad" aria-busy="true">{error && <p class="error" role="alert">{error}</p>}</div>;
  if (views.length === 0) {
    return (
      <div class="pad stack">
        <p>No accounts linked yet.</p>
        <p class="muted">Link the sites you use to see where you are signed in and end what you don’t want.</p>
        <div><button class="primary" onClick={() => openOptions('accounts')}>Link an account</button></div>
      </div>
    );
  }

  return (
    <div class="sessions">
      <EverywherePanel views={views} onTick={() => void reloadOverview()} onFinished={() => refresh()} />
      {error && <p class="error pad" role="alert">{error}</p>}
      <div class="row pad-x muted small">
        <span class="grow">{checking.size > 0 ? `Checking ${checking.size} of ${views.length} ${views.length === 1 ? 'site' : 'sites'}…` : 'Up to date'}</span>
        <button class="link" onClick={() => refresh()} disabled={checking.size > 0}>Refresh</button>
      </div>
      {views.slice(0, accountLimit).map((v) => (
        <AccountGroup key={v.account.id} view={v} now={now} outcomes={outcomes}
          pending={pending?.accountId === v.account.id ? pending : null}
          onAsk={setPending} onConfirm={revoke} onCancel={() => setPending(null)} />
      ))}
    </div>
  );
}

function sessionTitle(s: Session): string {
  return visibleText([s.browser, s.os].filter(Boolean).join(' on ') || s.device || 'Unknown device');
}

function outcomeKey(accountId: string, target: Pending['target']): string {
  return `${accountId}|${typeof target === 'string' ? target : target.id}`;
}

function openOptions(section: string) {
  void browser.tabs.create({ url: browser.runtime.getURL(`options.html#${section}`) });
}

function AccountGroup({ view, now, outcomes, pending, onAsk, onConfirm, onCancel }: {
  view: AccountView;
  now: number;
  outcomes: Record<string, Outcome>;
  pending: Pending | null;
  onAsk: (p: Pending) => void;
  onConfirm: (p: Pending, r: Reason) => void;
  onCancel: () => void;
}) {
  const { account, connector, result } = view;
  // A failed look still shows what the last good one found, marked with its age.
  const stale = result?.state === 'error' ? view.lastKnown : undefined;
  const sessions = (result?.state === 'ok' && result.sessions) || stale?.sessions || [];
  const others = sessions.filter((s) => !s.current);
  const title = visibleText(result?.state === 'ok' && result.whoami ? result.whoami.account : account.label);
  // Results of this account whose session is no longer listed (ended ones, "others", "all").
  const listed = new Set(sessions.map((s) => outcomeKey(account.id, { id: s.id })));
  const detached = Object.entries(outcomes).filter(([k]) => k.startsWith(`${account.id}|`) && !listed.has(k));
  return (
    <section class="account-group" aria-label={`${connector.name}: ${title}`}>
      <header class="row">
        <div class="grow">
          <h2 class="site ellipsis" title={account.origin}>{new URL(account.origin).host}</h2>
          <div class="muted small ellipsis"><Untrusted text={title} /> · {connector.name}</div>
        </div>
        <a class="small" href={connector.manageUrl} target="_blank" rel="noreferrer noopener"
          title="Open the site’s own session page">Site page ↗</a>
      </header>
      {result === undefined && <p class="muted small">Not checked yet.</p>}
      {result?.state === 'signed-out' && <p class="muted small">Not signed in on this browser.</p>}
      {result?.state === 'error' && <p class="error small" role="alert">{describeFailure(result.kind, result.message)}</p>}
      {stale && <p class="muted small">Last known sessions, from {timeAgo(stale.fetchedAt, now)}:</p>}
      {result?.state === 'ok' && (
        <p class="muted small">
          {result.sessions
            ? `${sessions.length} ${sessions.length === 1 ? 'session' : 'sessions'}`
            : 'Signed in (this site does not list its sessions)'} · checked {timeAgo(result.fetchedAt, now)}
        </p>
      )}
      <ul class="session-list">
        {sessions.map((s) => (
          <SessionRow key={s.id} session={s} now={now} outcome={outcomes[outcomeKey(account.id, { id: s.id })]?.outcome}
            canEnd={connector.can.revokeOne}
            asking={pending !== null && typeof pending.target === 'object' && pending.target.id === s.id}
            onAsk={() => onAsk({ accountId: account.id, target: { id: s.id }, what: sessionTitle(s) })}
            onConfirm={(r) => onConfirm({ accountId: account.id, target: { id: s.id }, what: sessionTitle(s) }, r)}
            onCancel={onCancel} />
        ))}
      </ul>
      {pending && typeof pending.target === 'string' && (
        <div class="stack confirm">
          <p><strong>{pending.target === 'others' ? 'End all other sessions?' : `Sign out of ${connector.name} completely?`}</strong></p>
          <ReasonPicker confirmLabel={pending.target === 'others' ? 'End other sessions' : 'Sign out'} danger
            onConfirm={(r) => onConfirm(pending, r)} onCancel={onCancel} />
        </div>
      )}
      {detached.map(([k, o]) => <OutcomeLine key={k} outcome={o.outcome} what={o.what} />)}
      <div class="row actions">
        {connector.can.revokeOthers && others.length > 0 && (
          <button onClick={() => onAsk({ accountId: account.id, target: 'others', what: 'Other sessions' })}>End all others</button>
        )}
        {(connector.can.revokeAll || connector.can.localSignOut) && (
          <button class="danger" onClick={() => onAsk({ accountId: account.id, target: 'all', what: `Sign-out of ${connector.name}` })}>Sign out of site</button>
        )}
      </div>
    </section>
  );
}

function SessionRow({ session, now, outcome, canEnd, asking, onAsk, onConfirm, onCancel }: {
  session: Session;
  now: number;
  outcome?: RevokeOutcome;
  canEnd: boolean;
  asking: boolean;
  onAsk: () => void;
  onConfirm: (r: Reason) => void;
  onCancel: () => void;
}) {
  const [open, setOpen] = useState(false);
  const what = sessionTitle(session);
  const where = [session.location, session.ip].filter(Boolean).join(' · ');
  return (
    <li class="session" data-session-id={session.id}>
      <div class="row">
        <span class="device"><DeviceIcon session={session} /></span>
        <button class="session-main grow" aria-expanded={open} onClick={() => setOpen(!open)}>
          <span class="session-title"><span class="ellipsis"><Untrusted text={what} /></span>{session.current && <span class="badge-this">This browser</span>}</span>
          <span class="muted small ellipsis">
            <Untrusted text={where} />{where && session.lastActiveAt ? ' · ' : ''}
            {session.lastActiveAt ? `active ${timeAgo(session.lastActiveAt, now)}` : ''}
          </span>
        </button>
        {canEnd && !asking && <button class="small" onClick={onAsk} aria-label={`End session: ${what}`}>End</button>}
      </div>
      {asking && (
        <div class="stack confirm">
          <ReasonPicker confirmLabel="End session" danger onConfirm={onConfirm} onCancel={onCancel} />
        </div>
      )}
      {outcome && <OutcomeLine outcome={outcome} what="Session" />}
      {open && <SessionDetails session={session} />}
    </li>
  );
}

function SessionDetails({ session }: { session: Session }) {
  const rows: [string, string][] = [
    ['Device', session.device ?? ''], ['Browser', session.browser ?? ''], ['System', session.os ?? ''],
    ['IP address', session.ip ?? ''], ['Location', session.location ?? ''],
    ['Signed in', session.createdAt ? new Date(session.createdAt).toLocaleString() : ''],
    ['Last active', session.lastActiveAt ? new Date(session.lastActiveAt).toLocaleString() : ''],
    ['Expires', session.expiresAt ? new Date(session.expiresAt).toLocaleString() : ''],
    ...Object.entries(session.extra),
  ];
  return (
    <dl class="details">
      {rows.filter(([, v]) => v).map(([k, v]) => (<><dt><Untrusted text={k} /></dt><dd><Untrusted text={v} /></dd></>))}
    </dl>
  );
}
