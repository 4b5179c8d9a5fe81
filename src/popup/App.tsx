/** The toolbar popup: first-run setup, unlock, or the codes. */
import { useEffect, useState } from 'preact/hooks';
import browser from '../lib/browser';
import type { Snapshot } from '../lib/messages';
import { errorText } from '../ui/client';
import { SetupForm, UnlockForm } from '../ui/PasswordForms';
import { CodesView } from './CodesView';

async function activeTabHost(): Promise<string | null> {
  try {
    // activeTab grants the URL of the tab the popup was opened on; nothing else is needed.
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    return tab?.url ? new URL(tab.url).hostname : null;
  } catch {
    return null;
  }
}

export function App({ firstSnapshot }: { firstSnapshot: Promise<Snapshot> }) {
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [host, setHost] = useState<string | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    firstSnapshot.then((s) => {
      performance.mark('revoke:snapshot-received');
      setSnapshot(s);
    }, (e) => setError(errorText(e)));
    activeTabHost().then(setHost);
  }, []);

  if (error) return <main class="pad"><p class="error" role="alert">{error}</p></main>;
  if (!snapshot) return <main class="pad" aria-busy="true" />;
  switch (snapshot.state) {
    case 'uninitialized':
      return <main class="pad"><SetupForm onDone={setSnapshot} /></main>;
    case 'locked':
      return <main class="pad"><UnlockForm onDone={setSnapshot} /></main>;
    case 'unlocked':
      return <CodesView snapshot={snapshot} host={host} onSnapshot={setSnapshot} />;
  }
}
