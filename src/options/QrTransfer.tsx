/** "Move a code to your phone": one entry's otpauth:// link as a QR code, shown on request, briefly. */
import { useEffect, useState } from 'preact/hooks';
import type { OtpEntry } from '../vault/types';
import { entryTitle } from '../ui/entry-view';
import { errorText } from '../ui/client';
import { useNow } from '../ui/useNow';
import { t } from '../i18n/t';

const SHOW_MS = 60_000;

interface Shown {
  id: string;
  title: string;
  /** A data: URL of an SVG that holds only the code's squares; an <img> cannot run anything in it anyway. */
  src: string;
  until: number;
}

const optionText = (e: OtpEntry) => (e.issuer && e.account ? `${e.issuer} (${e.account})` : entryTitle(e));

export function QrTransfer({ entries }: { entries: readonly OtpEntry[] }) {
  const [picked, setPicked] = useState('');
  const [shown, setShown] = useState<Shown | null>(null);
  const [error, setError] = useState('');
  const id = entries.some((e) => e.id === picked) ? picked : entries[0]?.id ?? '';

  async function show() {
    const entry = entries.find((e) => e.id === id);
    if (!entry) return;
    setError('');
    try {
      const [{ renderSVG }, { toOtpUri }] = await Promise.all([import('uqr'), import('../vault/otp-uri')]);
      // A quiet zone of 4 modules and medium error correction: what phone cameras read most reliably.
      const svg = renderSVG(toOtpUri(entry), { border: 4, ecc: 'M' });
      setShown({ id: entry.id, title: entryTitle(entry), src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`, until: Date.now() + SHOW_MS });
    } catch (e) {
      setError(errorText(e));
    }
  }

  // The secret stays on screen no longer than needed: hidden after a minute, when the page is left,
  // or when the entry is gone (deleted, or the vault locked).
  useEffect(() => {
    if (!shown) return;
    const timer = setTimeout(() => setShown(null), Math.max(0, shown.until - Date.now()));
    const onHidden = () => document.visibilityState === 'hidden' && setShown(null);
    document.addEventListener('visibilitychange', onHidden);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onHidden);
    };
  }, [shown]);
  useEffect(() => {
    if (shown && !entries.some((e) => e.id === shown.id)) setShown(null);
  }, [entries, shown]);

  return (
    <div class="stack" role="group" aria-labelledby="qr-h">
      <h3 id="qr-h">{t('qr_heading')}</h3>
      <p class="muted">{t('qr_intro')}</p>
      {entries.length === 0 ? <p class="muted">{t('codes_none')}</p> : (
        <div class="row wrap">
          <label class="grow">
            {t('qr_pick')}
            <select value={id} onChange={(e) => { setPicked(e.currentTarget.value); setShown(null); }}>
              {entries.map((e) => <option key={e.id} value={e.id}>{optionText(e)}</option>)}
            </select>
          </label>
          <button type="button" class="qr-show" onClick={show}>{t('qr_show')}</button>
        </div>
      )}
      {error && <p class="error" role="alert">{error}</p>}
      {shown && <QrCard shown={shown} onHide={() => setShown(null)} />}
    </div>
  );
}

function QrCard({ shown, onHide }: { shown: Shown; onHide: () => void }) {
  const now = useNow();
  const left = Math.max(0, Math.ceil((shown.until - now) / 1000));
  return (
    <div class="card stack qr-card">
      <p class="notice" role="alert">
        {t('qr_warning', shown.title)}
      </p>
      <img class="qr" src={shown.src} alt={t('qr_alt', shown.title)} width={240} height={240} />
      <div class="row">
        <span class="muted grow">{t('qr_hidesIn', left)}</span>
        <button type="button" onClick={onHide}>{t('action_hide')}</button>
      </div>
    </div>
  );
}
