/**
 * The popup's one header: the two tabs, then settings and the audit log. The same on every tab
 * and whatever the vault's state, so neither is ever hidden behind the lock screen.
 */
import { GearIcon, LogIcon } from '../ui/icons';
import { openOptions } from '../ui/open-options';
import type { Tab } from './start-tab';
import { t } from '../i18n/t';

export function PopupHeader({ tab, onTab }: { tab: Tab; onTab: (t: Tab) => void }) {
  return (
    <header class="popup-head">
      <h1 class="sr-only">Revoke</h1>
      <nav class="tabs" role="tablist" aria-label="Revoke"
        onKeyDown={(e) => {
          if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') onTab(tab === 'codes' ? 'sessions' : 'codes');
        }}>
        <button role="tab" aria-selected={tab === 'sessions'} tabIndex={tab === 'sessions' ? 0 : -1}
          onClick={() => onTab('sessions')}>{t('tab_sessions')}</button>
        <button role="tab" aria-selected={tab === 'codes'} tabIndex={tab === 'codes' ? 0 : -1}
          onClick={() => onTab('codes')}>{t('tab_codes')}</button>
      </nav>
      <button class="icon" title={t('auditLog')} aria-label={t('auditLog')} onClick={() => openOptions('audit')}><LogIcon /></button>
      {/* Settings for what is on screen: linked accounts from Sessions, the codes from Codes. */}
      <button class="icon" title={t('settings')} aria-label={t('settings')}
        onClick={() => openOptions(tab === 'sessions' ? 'accounts' : 'authenticator')}><GearIcon /></button>
    </header>
  );
}
