/** The options page: manage authenticator entries and security settings. */
import { useEffect, useState } from 'preact/hooks';
import type { Snapshot } from '../lib/messages';
import { call, errorText, isLockedError } from '../ui/client';
import { SetupForm, UnlockForm } from '../ui/PasswordForms';
import { useLockScreen } from '../ui/useLockScreen';
import { AccountsSection } from './AccountsSection';
import { AuditSection } from './AuditSection';
import { EntriesSection } from './EntriesSection';
import { ImportExportSection } from './ImportExportSection';
import { SecuritySection } from './SecuritySection';

const SECTIONS = [
  { id: 'accounts', label: 'Accounts' },
  { id: 'authenticator', label: 'Authenticator' },
  { id: 'import', label: 'Import & backup' },
  { id: 'audit', label: 'Audit log' },
  { id: 'security', label: 'Security' },
] as const;

type SectionId = (typeof SECTIONS)[number]['id'];

function sectionFromHash(): SectionId {
  const id = location.hash.slice(1);
  return SECTIONS.some((s) => s.id === id) ? (id as SectionId) : 'authenticator';
}

export function App() {
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [section, setSection] = useState<SectionId>(sectionFromHash);
  const [error, setError] = useState('');

  const refresh = () => call('vault/snapshot', null).then(setSnapshot, (e) => isLockedError(e) || setError(errorText(e)));
  useLockScreen(setSnapshot);
  useEffect(() => {
    void refresh();
    const onHash = () => setSection(sectionFromHash());
    // Another page (the popup) may lock or change the vault: re-read when we are looked at again.
    const onVisible = () => document.visibilityState === 'visible' && refresh();
    addEventListener('hashchange', onHash);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      removeEventListener('hashchange', onHash);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, []);

  let body;
  if (section === 'accounts') body = <AccountsSection />;
  else if (section === 'audit') body = <AuditSection />;
  else if (error) body = <p class="error" role="alert">{error}</p>;
  else if (!snapshot) body = <p class="muted" aria-busy="true">Loading…</p>;
  else if (snapshot.state === 'uninitialized') body = <div class="narrow"><SetupForm onDone={setSnapshot} /></div>;
  else if (snapshot.state === 'locked') body = <div class="narrow"><UnlockForm onDone={setSnapshot} /></div>;
  else if (section === 'authenticator') body = <EntriesSection snapshot={snapshot} onSnapshot={setSnapshot} />;
  else if (section === 'import') body = <ImportExportSection snapshot={snapshot} onSnapshot={setSnapshot} />;
  else body = <SecuritySection snapshot={snapshot} onSnapshot={setSnapshot} />;

  return (
    <div class="layout">
      <nav aria-label="Sections">
        <h1 class="brand"><img src="/icons/icon-32.png" alt="" width="24" height="24" /> Revoke</h1>
        {SECTIONS.map((s) => (
          <a href={`#${s.id}`} aria-current={s.id === section ? 'page' : undefined}>{s.label}</a>
        ))}
        {/* Built from PRIVACY.md into the extension, so it opens offline too. */}
        <a class="nav-footer" href="/privacy.html" target="_blank" rel="noopener">Privacy policy</a>
      </nav>
      <main>{body}</main>
    </div>
  );
}
