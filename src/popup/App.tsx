/** The toolbar popup: "Sessions" and "Codes" (first-run setup, unlock, or the codes). */
import { useEffect, useState } from 'preact/hooks';
import browser from '../lib/browser';
import type { Snapshot } from '../lib/messages';
import { errorText, isLockedError } from '../ui/client';
import { SetupForm, UnlockForm } from '../ui/PasswordForms';
import { useLockScreen } from '../ui/useLockScreen';
import { CodesView } from './CodesView';
import { lazyComponent } from '../ui/lazy';
import { takeSnapshot } from './prefetch';

/** Loaded on demand: the Codes tab's start-up does not carry it. */
export const SessionsView = lazyComponent(() => import('./SessionsView').then((m) => m.SessionsView));

type Tab = 'codes' | 'sessions';
export const TAB_KEY = 'revoke:popup-tab';

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
  // The tab last used opens again: people mostly come for one of the two.
  const [tab, setTabState] = useState<Tab>(() => (localStorage.getItem(TAB_KEY) === 'sessions' ? 'sessions' : 'codes'));
  const setTab = (t: Tab) => {
    localStorage.setItem(TAB_KEY, t);
    setTabState(t);
  };

  useLockScreen(setSnapshot);
  useEffect(() => {
    takeSnapshot().then((s) => {
      performance.mark('revoke:snapshot-received');
      setSnapshot(s);
    }, (e) => isLockedError(e) || setError(errorText(e)));
    activeTabHost().then(setHost);
  }, []);

  return (
    <>
      <nav class="tabs" role="tablist" aria-label="Revoke"
        onKeyDown={(e) => {
          if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') setTab(tab === 'codes' ? 'sessions' : 'codes');
        }}>
        <button role="tab" aria-selected={tab === 'sessions'} tabIndex={tab === 'sessions' ? 0 : -1}
          onClick={() => setTab('sessions')}>Sessions</button>
        <button role="tab" aria-selected={tab === 'codes'} tabIndex={tab === 'codes' ? 0 : -1}
          onClick={() => setTab('codes')}>Codes</button>
      </nav>
      {tab === 'sessions' ? <SessionsView fallback={<div class="pad" aria-busy="true" />} /> : <CodesTab snapshot={snapshot} error={error} host={host} onSnapshot={setSnapshot} />}
    </>
  );
}

function CodesTab({ snapshot, error, host, onSnapshot }: {
  snapshot: Snapshot | null;
  error: string;
  host: string | null;
  onSnapshot: (s: Snapshot) => void;
}) {
  if (error) return <main class="pad"><p class="error" role="alert">{error}</p></main>;
  if (!snapshot) return <main class="pad" aria-busy="true" />;
  switch (snapshot.state) {
    case 'uninitialized':
      return <main class="pad"><SetupForm onDone={onSnapshot} /></main>;
    case 'locked':
      return <main class="pad"><UnlockForm onDone={onSnapshot} /></main>;
    case 'unlocked':
      return <CodesView snapshot={snapshot} host={host} onSnapshot={onSnapshot} />;
  }
}
