/** The toolbar popup: "Sessions" and "Codes" (first-run setup, unlock, or the codes). */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import browser from '../lib/browser';
import type { Snapshot } from '../lib/messages';
import { errorText, isLockedError } from '../ui/client';
import { SetupForm, UnlockForm } from '../ui/PasswordForms';
import { useLockScreen } from '../ui/useLockScreen';
import { CodesView } from './CodesView';
import { lazyComponent } from '../ui/lazy';
import { noteOpened, takeSnapshot } from './prefetch';
import { PopupHeader } from './PopupHeader';
import { TAB_KEY, chooseStartTab, snapshotNeeded, startTab, type Tab } from './start-tab';
import { rememberVaultState } from '../ui/vault-hint';
import { takeHint, type PointAt } from '../lib/notice-hint';

/** Loaded on demand: the Codes tab's start-up does not carry it. */
export const SessionsView = lazyComponent(() => import('./SessionsView').then((m) => m.SessionsView));


async function activeTabHost(): Promise<string | null> {
  try {
    // activeTab grants the URL of the tab the popup was opened on; nothing else is needed.
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    return tab?.url ? new URL(tab.url).hostname : null;
  } catch {
    return null;
  }
}

export function App() {
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [host, setHost] = useState<string | null>(null);
  const [error, setError] = useState('');
  // The panic shortcut opens the popup on Sessions, where its confirm is.
  const [tab, setTabState] = useState<Tab>(() => (location.search.includes('panic') ? 'sessions' : startTab()));
  /** Set once the person picks a tab: from then on nothing switches it for them. */
  const picked = useRef(false);
  const setTab = (t: Tab) => {
    picked.current = true;
    localStorage.setItem(TAB_KEY, t);
    setTabState(t);
  };
  const onSnapshot = (s: Snapshot) => {
    // The first tab came from a hint; a vault the hint did not know of (made before it existed)
    // brings the usual tab back, unless the person already chose one.
    if (rememberVaultState(s.state) && !picked.current) setTabState(chooseStartTab(localStorage.getItem(TAB_KEY), s.state !== 'uninitialized'));
    setSnapshot(s);
  };

  useLockScreen(setSnapshot);
  const needed = snapshotNeeded(tab);
  // A layout effect runs as the first frame is committed, not after it is painted: the snapshot,
  // often read by then, is not held back a frame.
  useLayoutEffect(() => {
    if (!needed) return;
    takeSnapshot().then((s) => {
      performance.mark('revoke:snapshot-received');
      onSnapshot(s);
      // Once the codes are on screen: wake the worker only then.
      requestAnimationFrame(() => setTimeout(noteOpened));
    }, (e) => isLockedError(e) || setError(errorText(e)));
  }, [needed]);
  useEffect(() => {
    activeTabHost().then(setHost);
  }, []);
  /** The session a clicked watch notification points at (Firefox: no buttons on it), taken once. */
  const [pointAt, setPointAt] = useState<PointAt | null>(null);
  useEffect(() => {
    // (The async function turns a missing storage area into a rejection: the popup opens as usual.)
    (async () => takeHint(browser.storage.session, Date.now()))().then((at) => {
      if (!at) return;
      setPointAt(at);
      // Opened for that session: its tab, unless the person already picked one; and it stays there
      // when the snapshot brings the usual first tab back (a vault the hint missed).
      if (!picked.current) setTabState('sessions');
      picked.current = true;
    }, () => undefined);
  }, []);

  return (
    <>
      <PopupHeader tab={tab} onTab={setTab} />
      {/* The one main landmark, whichever tab shows. */}
      <main>
        {tab === 'sessions' ? <SessionsView pointAt={pointAt} fallback={<div class="pad" aria-busy="true" />} /> : <CodesTab snapshot={snapshot} error={error} host={host} onSnapshot={onSnapshot} />}
      </main>
    </>
  );
}

function CodesTab({ snapshot, error, host, onSnapshot }: {
  snapshot: Snapshot | null;
  error: string;
  host: string | null;
  onSnapshot: (s: Snapshot) => void;
}) {
  if (error) return <div class="pad"><p class="error" role="alert">{error}</p></div>;
  if (!snapshot) return <div class="pad" aria-busy="true" />;
  switch (snapshot.state) {
    case 'uninitialized':
      return <div class="pad"><SetupForm onDone={onSnapshot} /></div>;
    case 'locked':
      return <div class="pad"><UnlockForm onDone={onSnapshot} /></div>;
    case 'unlocked':
      return <CodesView snapshot={snapshot} host={host} onSnapshot={onSnapshot} />;
  }
}
