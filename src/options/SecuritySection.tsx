/** Lock settings, clipboard, password. */
import { useState } from 'preact/hooks';
import type { Settings, Snapshot } from '../lib/messages';
import { call, errorText } from '../ui/client';
import { ChangePasswordForm } from '../ui/PasswordForms';
import { t } from '../i18n/t';

export function SecuritySection({ snapshot, onSnapshot }: { snapshot: Snapshot; onSnapshot: (s: Snapshot) => void }) {
  const [status, setStatus] = useState<{ kind: 'okay' | 'error'; text: string } | null>(null);

  async function save(patch: Partial<Settings>) {
    try {
      const settings = await call('settings/update', patch);
      onSnapshot({ ...snapshot, settings });
      setStatus({ kind: 'okay', text: t('saved') });
    } catch (e) {
      setStatus({ kind: 'error', text: errorText(e) });
    }
  }
  const s = snapshot.settings;
  return (
    <section class="stack" aria-labelledby="security-h">
      <h2 id="security-h">{t('section_security')}</h2>
      <fieldset class="stack">
        <legend>{t('security_locking')}</legend>
        <label>
          {t('security_autoLock')}
          <input type="number" name="autoLockMinutes" min={1} max={1440} value={s.autoLockMinutes} style="max-width:120px"
            onChange={(e) => save({ autoLockMinutes: Number(e.currentTarget.value) })} />
        </label>
        <label class="inline">
          <input type="checkbox" name="lockOnSystemLock" checked={s.lockOnSystemLock}
            onChange={(e) => save({ lockOnSystemLock: e.currentTarget.checked })} />
          {t('security_systemLock')}
        </label>
        <p class="muted">{t('security_browserClose')}</p>
        <div>
          {/* The page shows its lock screen when the reply says "locked" (see useLockScreen). */}
          <button onClick={() => call('vault/lock', null).catch((e) => setStatus({ kind: 'error', text: errorText(e) }))}>{t('security_lockNow')}</button>
        </div>
      </fieldset>
      <fieldset class="stack">
        <legend>{t('security_clipboard')}</legend>
        <label>
          {t('security_clipboardSeconds')}
          <input type="number" name="clipboardClearSeconds" min={5} max={600} value={s.clipboardClearSeconds} style="max-width:120px"
            onChange={(e) => save({ clipboardClearSeconds: Number(e.currentTarget.value) })} />
        </label>
        <p class="muted">{t('security_clipboardHint')}</p>
      </fieldset>
      {status && <p class={status.kind} role={status.kind === 'error' ? 'alert' : 'status'}>{status.text}</p>}
      <fieldset>
        <legend>{t('security_password')}</legend>
        <ChangePasswordForm />
      </fieldset>
    </section>
  );
}
