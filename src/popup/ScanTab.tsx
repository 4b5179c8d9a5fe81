/** "Scan QR code on this page": finds the codes a site's two-factor setup page shows. */
import { useState } from 'preact/hooks';
import browser from '../lib/browser';
import type { OtpEntry } from '../vault/types';
import { call, errorText } from '../ui/client';

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
      if (found.length === 0) return setMessage('No QR code found on the visible part of the page. Scroll it into view, or paste the link below.');
      if (found.some((t) => /^otpauth-migration:/i.test(t))) {
        return setMessage('That is a Google Authenticator export: use Import in Revoke’s settings to bring all of its accounts in.');
      }
      if (links.length === 0) return setMessage('The QR code on this page is not a two-factor setup code.');
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
      <button class="primary" onClick={scan} disabled={busy}>{busy ? 'Scanning…' : 'Scan QR code on this page'}</button>
      {message && <p class="notice" role="alert">{message}</p>}
    </div>
  );
}
