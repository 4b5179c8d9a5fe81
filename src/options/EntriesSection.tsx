/** Authenticator entries: add, edit, delete with undo, reorder, pin. */
import { useEffect, useState } from 'preact/hooks';
import type { Snapshot } from '../lib/messages';
import type { OtpEntry } from '../vault/types';
import { call, errorText } from '../ui/client';
import { AddEntry, ManualForm } from '../ui/EntryForm';
import { entryTitle } from '../ui/entry-view';
import { Untrusted } from '../ui/Untrusted';

const TYPE_LABEL = { totp: 'TOTP', hotp: 'HOTP', steam: 'Steam' } as const;

export function EntriesSection({ snapshot, onSnapshot }: { snapshot: Snapshot; onSnapshot: (s: Snapshot) => void }) {
  const entries = snapshot.entries ?? [];
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [undo, setUndo] = useState<OtpEntry | null>(null);
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');

  const reload = async () => onSnapshot(await call('vault/snapshot', null));
  async function act(fn: () => Promise<unknown>) {
    setError('');
    try {
      await fn();
      await reload();
    } catch (e) {
      setError(errorText(e));
      await reload().catch(() => undefined);
    }
  }

  useEffect(() => {
    if (!undo) return;
    const t = setTimeout(() => setUndo(null), 10_000);
    return () => clearTimeout(t);
  }, [undo]);

  return (
    <section class="stack" aria-labelledby="entries-h">
      <div class="row">
        <h2 id="entries-h" class="grow">Authenticator codes</h2>
        {!adding && <button class="primary" onClick={() => { setAdding(true); setMessage(''); }}>Add a code</button>}
      </div>
      {adding && (
        <div class="card">
          <AddEntry onCancel={() => setAdding(false)} onSaved={({ entry, warnings }) => {
            setAdding(false);
            setMessage(`Added ${entryTitle(entry)}.${warnings.length ? ' ' + warnings.join(' ') : ''}`);
            void reload();
          }} />
        </div>
      )}
      {message && <p class="okay" role="status">{message}</p>}
      {error && <p class="error" role="alert">{error}</p>}
      {snapshot.corrupt && snapshot.corrupt.length > 0 && (
        <p class="notice" role="alert">
          {snapshot.corrupt.length} stored {snapshot.corrupt.length === 1 ? 'entry' : 'entries'} could not be decrypted:
          the data is damaged. Other entries are unaffected.
        </p>
      )}
      {entries.length === 0 && !adding && <p class="muted">No codes yet. Add one from a site’s two-factor setup page.</p>}
      <ol class="entries" aria-label="Entries">
        {entries.map((e, i) => (
          <li key={e.id} class="card" data-entry-id={e.id}>
            {editing === e.id ? (
              <ManualForm editing={e} onCancel={() => setEditing(null)} onSaved={() => { setEditing(null); void reload(); }} />
            ) : (
              <div class="row"
                onKeyDown={(ev) => {
                  if (!ev.altKey) return;
                  if (ev.key === 'ArrowUp' && i > 0) { ev.preventDefault(); void act(() => call('entries/move', { id: e.id, toIndex: i - 1 })); }
                  if (ev.key === 'ArrowDown' && i < entries.length - 1) { ev.preventDefault(); void act(() => call('entries/move', { id: e.id, toIndex: i + 1 })); }
                }}>
                <div class="grow">
                  <div><strong><Untrusted text={entryTitle(e)} /></strong> <span class="badge">{TYPE_LABEL[e.type]}</span>
                    {e.site && <span class="muted"> · <Untrusted text={e.site} /></span>}</div>
                  {e.issuer && e.account && <div class="muted"><Untrusted text={e.account} /></div>}
                  {e.note && <div class="muted note"><Untrusted text={e.note} /></div>}
                </div>
                <button class="icon" aria-pressed={e.pinned} title={e.pinned ? 'Unpin' : 'Pin to top'}
                  aria-label={`${e.pinned ? 'Unpin' : 'Pin'} ${entryTitle(e)}`}
                  onClick={() => act(() => call('entries/pin', { id: e.id, pinned: !e.pinned }))}>{e.pinned ? '★' : '☆'}</button>
                <button class="icon" title="Move up (Alt+↑)" aria-label={`Move ${entryTitle(e)} up`} disabled={i === 0}
                  onClick={() => act(() => call('entries/move', { id: e.id, toIndex: i - 1 }))}>↑</button>
                <button class="icon" title="Move down (Alt+↓)" aria-label={`Move ${entryTitle(e)} down`} disabled={i === entries.length - 1}
                  onClick={() => act(() => call('entries/move', { id: e.id, toIndex: i + 1 }))}>↓</button>
                <button onClick={() => setEditing(e.id)} aria-label={`Edit ${entryTitle(e)}`}>Edit</button>
                <button class="danger" aria-label={`Delete ${entryTitle(e)}`}
                  onClick={() => act(async () => setUndo(await call('entries/remove', { id: e.id })))}>Delete</button>
              </div>
            )}
          </li>
        ))}
      </ol>
      {undo && (
        <div class="toast" role="status">
          Deleted {entryTitle(undo)}.
          <button onClick={() => { const e = undo; setUndo(null); void act(() => call('entries/restore', { entry: e })); }}>Undo</button>
        </div>
      )}
    </section>
  );
}
