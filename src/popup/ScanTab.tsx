/** "Scan QR code on this page": finds the codes a site's two-factor setup page shows. */
import { useState } from 'preact/hooks';
import browser from '../lib/browser';
import type { OtpEntry } from '../vault/types';
import { call, errorText } from '../ui/client';
import { t } from '../i18n/t';

export function ScanTab({ onAdded }: { onAdded: (entries: OtpEntry[]) => void }) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');

  async function scan() {
    setBusy(true);
    setMessage('');
    try {
      const { scanVisibleTab } = await import('../qr/scan');
      const found = await scanVisibleTab(browser);
      const links = found.filter((t) => /^otpauth:\/\//i.test(t));
      if (found.length === 0) return setMessage(t('scan_none'));
      if (found.some((t) => /^otpauth-migration:/i.test(t))) {
        return setMessage(t('scan_googleExport'));
      }
      if (links.length === 0) return setMessage(t('scan_notOtp'));
      const added: OtpEntry[] = [];
      const problems: string[] = [];
      for (const uri of links) {
        try {
          added.push((await call('entries/add-uri', { uri })).entry);
        } catch (e) {
          problems.push(errorText(e));
        }
      }
      if (added.length) onAdded(added);
      if (problems.length) setMessage(problems.join(' '));
    } catch (e) {
      setMessage(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="stack" style="margin-bottom:12px">
      <button class="primary" onClick={scan} disabled={busy}>{t(busy ? 'scan_busy' : 'scan_action')}</button>
      {message && <p class="notice" role="alert">{message}</p>}
    </div>
  );
}
