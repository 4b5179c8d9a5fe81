/** Every code with its countdown; copy with a click or Enter; search; keyboard navigation. */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Snapshot } from '../lib/messages';
import type { OtpEntry } from '../vault/types';
import { call, errorText } from '../ui/client';
import { createCodeCache } from '../ui/code-cache';
import { entryTitle, groupDigits, matchesQuery, orderForSite } from '../ui/entry-view';
import { useNow } from '../ui/useNow';
import { LockIcon, NextIcon, PlusIcon } from '../ui/icons';
import { lazyComponent } from '../ui/lazy';

/** Adding a code is occasional: its forms and the QR scanner load when asked for. */
const AddCodeView = lazyComponent(() => import('./AddCodeView').then((m) => m.AddCodeView));
import { secondsRemaining } from '../vault/codes';
import { describeSkew, skewWorthWarning } from '../lib/clock-skew';
import { Untrusted } from '../ui/Untrusted';
import { SiteAvatar } from '../ui/SiteAvatar';
import { visibleText } from '../lib/untrusted-text';
import { t, tp } from '../i18n/t';

/** Rows that fill the popup's 600 px (48 px each, under the headers) with a few to spare. */
const FIRST_FRAME_ROWS = 15;
/** The code turns amber in its last seconds: time to wait for the next one rather than type it. */
const EXPIRING_SECONDS = 5;

export function CodesView({ snapshot, host, onSnapshot }: {
  snapshot: Snapshot;
  host: string | null;
  onSnapshot: (s: Snapshot) => void;
}) {
  const entries = snapshot.entries ?? [];
  const [query, setQuery] = useState('');
  const [adding, setAdding] = useState(false);
  const [toast, setToast] = useState('');
  const [error, setError] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const codeFor = useMemo(createCodeCache, []);
  const now = useNow();

  const visible = useMemo(
    () => orderForSite(entries, host).filter((e) => matchesQuery(e, query)),
    [entries, host, query],
  );

  // The first frame shows a screenful of rows; the rest follow right after it,
  // so a long list does not hold back the codes the person sees first.
  const [rowLimit, setRowLimit] = useState(FIRST_FRAME_ROWS);
  useLayoutEffect(() => {
    requestAnimationFrame(() => {
      performance.mark('revoke:codes-painted');
      setTimeout(() => setRowLimit(Infinity));
    });
  }, []);
  useLayoutEffect(() => {
    if (rowLimit === Infinity) performance.mark('revoke:all-rows-rendered');
  }, [rowLimit]);

  useEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      const inField = ev.target instanceof HTMLInputElement || ev.target instanceof HTMLTextAreaElement ||
        ev.target instanceof HTMLSelectElement;
      if (adding) return;
      if (ev.key === '/' && !inField) {
        ev.preventDefault();
        searchRef.current?.focus();
      } else if (!inField && ev.key.length === 1 && !ev.ctrlKey && !ev.metaKey && !ev.altKey && ev.key !== ' ') {
        // Type-to-search: the first letter typed anywhere starts a search.
        ev.preventDefault();
        setQuery((q) => q + ev.key);
        searchRef.current?.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [adding]);

  function focusRow(index: number) {
    const buttons = listRef.current?.querySelectorAll<HTMLButtonElement>('button.code');
    if (!buttons || buttons.length === 0) return;
    if (index < 0) return searchRef.current?.focus();
    buttons[Math.min(index, buttons.length - 1)]?.focus();
  }

  async function copy(entry: OtpEntry) {
    const code = codeFor(entry, Date.now());
    try {
      await navigator.clipboard.writeText(code);
      await call('clipboard/copied', { text: code });
      setToast(t('codes_copied', entryTitle(entry), snapshot.settings.clipboardClearSeconds));
    } catch (e) {
      setError(t('codes_copyFailed', errorText(e)));
    }
  }

  async function nextHotp(entry: OtpEntry) {
    try {
      const updated = await call('entries/next-hotp', { id: entry.id });
      onSnapshot({ ...snapshot, entries: entries.map((e) => (e.id === updated.id ? updated : e)) });
    } catch (e) {
      setError(errorText(e));
    }
  }

  // The popup shows its lock screen when the reply says "locked" (see useLockScreen).
  async function lock() {
    try {
      await call('vault/lock', null);
    } catch (e) {
      setError(errorText(e));
    }
  }

  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => setToast(''), 2500);
    return () => clearTimeout(t);
  }, [toast]);

  if (adding) {
    return (
      <AddCodeView
        fallback={<div class="pad" aria-busy="true" />}
        host={host}
        onCancel={() => setAdding(false)}
        onAdded={(added, message) => {
          onSnapshot({ ...snapshot, entries: [...entries, ...added] });
          setAdding(false);
          setToast(message);
        }}
      />
    );
  }

  return (
    <div>
      <header class="bar">
        <input ref={searchRef} type="search" class="grow" placeholder={t('codes_search')} aria-label={t('codes_search_label')}
          value={query}
          onInput={(e) => setQuery(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') { e.preventDefault(); focusRow(0); }
            if (e.key === 'Enter' && visible[0]) { e.preventDefault(); void copy(visible[0]); }
            if (e.key === 'Escape' && query) { e.preventDefault(); setQuery(''); }
          }} />
        <button class="icon" title={t('codes_add')} aria-label={t('codes_add')} onClick={() => setAdding(true)}><PlusIcon /></button>
        <button class="icon" title={t('codes_lock')} aria-label={t('codes_lock')} onClick={lock}><LockIcon /></button>
      </header>
      {error && <p class="error pad" role="alert">{error}</p>}
      {skewWorthWarning(snapshot.clockSkew) && <p class="notice pad" role="alert">{describeSkew(snapshot.clockSkew!)}</p>}
      {snapshot.corrupt && snapshot.corrupt.length > 0 && (
        <p class="notice pad" role="alert">
          {tp('codes_corrupt', snapshot.corrupt.length)}
        </p>
      )}
      {entries.length === 0 ? (
        <div class="pad stack empty">
          <p>{t('codes_none')}</p>
          <p class="muted">{t('codes_noneHint')}</p>
          <div><button class="primary" onClick={() => setAdding(true)}>{t('codes_add')}</button></div>
        </div>
      ) : visible.length === 0 ? (
        <p class="pad muted">{t('codes_noMatch', query)}</p>
      ) : (
        <ul class="codes" ref={listRef} aria-label={t('codes_list_label')}>
          {visible.slice(0, rowLimit).map((entry, i) => (
            <CodeRow key={entry.id} entry={entry} code={codeFor(entry, now)} now={now}
              onCopy={() => copy(entry)} onNext={() => nextHotp(entry)}
              onArrow={(d) => focusRow(i + d)} />
          ))}
        </ul>
      )}
      {toast && <div class="toast" role="status">{toast}</div>}
    </div>
  );
}

function CodeRow({ entry, code, now, onCopy, onNext, onArrow }: {
  entry: OtpEntry;
  code: string;
  now: number;
  onCopy: () => void;
  onNext: () => void;
  onArrow: (delta: number) => void;
}) {
  const remaining = entry.type === 'hotp' ? 0 : secondsRemaining(entry.period, now);
  const title = entryTitle(entry);
  const fullName = entry.issuer && entry.account ? `${title}\n${visibleText(entry.account)}` : title;
  const expiring = entry.type !== 'hotp' && remaining <= EXPIRING_SECONDS;
  return (
    <li class={`entry${expiring ? ' expiring' : ''}`} data-pinned={entry.pinned || undefined}>
      {/* Named by what it shows (name, account, digits) and what it does; the time left is its
          description, heard on focus rather than announced every second. */}
      <button class="code" data-entry-id={entry.id} aria-describedby={entry.type === 'hotp' ? undefined : `left-${entry.id}`}
        onClick={onCopy}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') { e.preventDefault(); onArrow(1); }
          if (e.key === 'ArrowUp') { e.preventDefault(); onArrow(-1); }
        }}>
        <SiteAvatar entry={entry} />
        {/* Issuer and account are cut to one line each: the title shows them whole on hover. */}
        <span class="names" title={fullName}>
          <span class="issuer">{entry.pinned && <span aria-label={t('codes_pinned')}>★ </span>}<Untrusted text={title} /></span>
          {entry.issuer && entry.account && <>{' '}<span class="account"><Untrusted text={entry.account} /></span></>}
        </span>
        {' '}<span class="otp" data-code={code}>{groupDigits(code)}</span>
        <span class="sr-only">{t('codes_copyCode_sr')}</span>
      </button>
      {entry.type === 'hotp' ? (
        <button class="icon" title={t('codes_next')} aria-label={t('codes_nextFor', title)} onClick={onNext}><NextIcon /></button>
      ) : (
        <span id={`left-${entry.id}`} class={`timer${expiring ? ' low' : ''}`} role="timer"
          aria-label={tp('codes_secondsLeft', remaining)}
          style={{ '--frac': remaining / entry.period } as Record<string, number>}>
          {remaining}
        </span>
      )}
    </li>
  );
}
