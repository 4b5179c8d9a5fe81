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
import { WatchSection } from './WatchSection';
import { PanicSection } from './PanicSection';
import { SECTIONS, sectionFromHash, type SectionId } from './sections';
import { rememberVaultState } from '../ui/vault-hint';
import { t } from '../i18n/t';

export function App() {
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [section, setSection] = useState<SectionId>(() => sectionFromHash(location.hash));
  const [error, setError] = useState('');

  const refresh = () => call('vault/snapshot', null).then(setSnapshot, (e) => isLockedError(e) || setError(errorText(e)));
  // The popup picks its first tab from this hint: a vault made here must count too.
  useEffect(() => { if (snapshot) rememberVaultState(snapshot.state); }, [snapshot?.state]);
  useLockScreen(setSnapshot);
  useEffect(() => {
    void refresh();
    const onHash = () => setSection(sectionFromHash(location.hash));
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
  else if (section === 'watch') body = <WatchSection />;
  else if (section === 'panic') body = <PanicSection />;
  else if (error) body = <p class="error" role="alert">{error}</p>;
  else if (!snapshot) body = <p class="muted" aria-busy="true">{t('loading')}</p>;
  else if (snapshot.state === 'uninitialized') body = <div class="narrow"><SetupForm onDone={setSnapshot} /></div>;
  else if (snapshot.state === 'locked') body = <div class="narrow"><UnlockForm onDone={setSnapshot} /></div>;
  else if (section === 'authenticator') body = <EntriesSection snapshot={snapshot} onSnapshot={setSnapshot} />;
  else if (section === 'import') body = <ImportExportSection snapshot={snapshot} onSnapshot={setSnapshot} />;
  else body = <SecuritySection snapshot={snapshot} onSnapshot={setSnapshot} />;

  return (
    <div class="layout">
      <nav aria-label={t('options_sections_label')}>
        <h1 class="brand"><img src="/icons/icon-32.png" alt="" width="24" height="24" /> Revoke</h1>
        {SECTIONS.map((s) => (
          <a href={`#${s.id}`} aria-current={s.id === section ? 'page' : undefined}>{t(s.label)}</a>
        ))}
        {/* Built from PRIVACY.md into the extension, so it opens offline too. */}
        <a class="nav-footer" href={t('words_privacyPage')} target="_blank" rel="noopener">{t('privacyPolicy')}</a>
      </nav>
      <main>{body}</main>
    </div>
  );
}
