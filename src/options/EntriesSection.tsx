/** Authenticator entries: add, search, edit, reorder (buttons, Alt+arrows, drag), pin, delete one or many with undo. */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Snapshot } from '../lib/messages';
import type { OtpEntry } from '../vault/types';
import { call, errorText } from '../ui/client';
import { AddEntry, ManualForm } from '../ui/EntryForm';
import { addedText, matchesQuery } from '../ui/entry-view';
import { EntryCard } from './EntryCard';
import { canDrop, deletedText, dropIndex, selectedShown, stepIndex } from './entry-list';
import { t, tp } from '../i18n/t';

/** Drag data type: only Revoke's own cards drop here, never text or files. */
const DRAG_TYPE = 'application/x-revoke-entry';

export function EntriesSection({ snapshot, onSnapshot }: { snapshot: Snapshot; onSnapshot: (s: Snapshot) => void }) {
  const entries = snapshot.entries ?? [];
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [undo, setUndo] = useState<OtpEntry[]>([]);
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [dragging, setDragging] = useState<string | null>(null);
  const [dropHint, setDropHint] = useState<{ id: string; after: boolean } | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  const shown = useMemo(() => entries.filter((e) => matchesQuery(e, query)), [entries, query]);
  const chosen = selectedShown(selected, shown);

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
  const move = (id: string, toIndex: number | null) =>
    toIndex === null ? undefined : act(() => call('entries/move', { id, toIndex }));

  /** Deletes and offers one undo for everything deleted while the notice shows. */
  function remove(ids: string[]) {
    // The pressed button goes away (or is disabled): focus the search rather than lose it to the page.
    searchRef.current?.focus();
    return act(async () => {
      const removed = await call('entries/remove-many', { ids });
      setUndo((before) => [...before, ...removed]);
      setSelected((s) => new Set([...s].filter((id) => !ids.includes(id))));
    });
  }

  useEffect(() => {
    if (undo.length === 0) return;
    const t = setTimeout(() => setUndo([]), 10_000);
    return () => clearTimeout(t);
  }, [undo]);

  // `/` focuses the search, as in the popup.
  useEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      const t = ev.target as HTMLElement | null;
      const inField = !!t && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));
      if (ev.key === '/' && !inField && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
        ev.preventDefault();
        searchRef.current?.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const allShownSelected = shown.length > 0 && chosen.length === shown.length;
  function selectShown(on: boolean) {
    setSelected((s) => {
      const next = new Set(s);
      for (const e of shown) if (on) next.add(e.id); else next.delete(e.id);
      return next;
    });
  }

  function dropTarget(e: OtpEntry) {
    const over = (ev: DragEvent) => {
      if (!dragging || !canDrop(entries, dragging, e.id)) return;
      ev.preventDefault(); // allows the drop
      const box = (ev.currentTarget as HTMLElement).getBoundingClientRect();
      const after = ev.clientY > box.top + box.height / 2;
      if (dropHint?.id !== e.id || dropHint.after !== after) setDropHint({ id: e.id, after });
    };
    return {
      onDragOver: over,
      onDragEnter: over,
      onDrop: (ev: DragEvent) => {
        ev.preventDefault();
        const id = ev.dataTransfer?.getData(DRAG_TYPE) || dragging;
        const after = dropHint?.id === e.id ? dropHint.after : false;
        setDragging(null);
        setDropHint(null);
        if (id && canDrop(entries, id, e.id)) void move(id, dropIndex(entries, id, e.id, after));
      },
    };
  }

  return (
    <section class="stack" aria-labelledby="entries-h">
      <div class="row">
        <h2 id="entries-h" class="grow">{t('entries_heading')}</h2>
        {!adding && <button class="primary" onClick={() => { setAdding(true); setMessage(''); }}>{t('codes_add')}</button>}
      </div>
      {adding && (
        <div class="card">
          <AddEntry onCancel={() => setAdding(false)} onSaved={({ entry, warnings }) => {
            setAdding(false);
            setMessage(addedText(entry, warnings));
            void reload();
          }} />
        </div>
      )}
      {message && <p class="okay" role="status">{message}</p>}
      {error && <p class="error" role="alert">{error}</p>}
      {snapshot.corrupt && snapshot.corrupt.length > 0 && (
        <p class="notice" role="alert">
          {tp('entries_corrupt', snapshot.corrupt.length)}
        </p>
      )}
      {entries.length === 0 && !adding && <p class="muted">{t('entries_none')}</p>}
      {entries.length > 0 && (
        <div class="row list-tools">
          <input type="checkbox" aria-label={t('entries_selectAll')} checked={allShownSelected}
            indeterminate={chosen.length > 0 && !allShownSelected} disabled={shown.length === 0}
            onChange={(ev) => selectShown(ev.currentTarget.checked)} />
          <input ref={searchRef} type="search" class="grow" placeholder={t('codes_search')} aria-label={t('codes_search_label')}
            value={query} onInput={(ev) => setQuery(ev.currentTarget.value)}
            onKeyDown={(ev) => { if (ev.key === 'Escape' && query) { ev.preventDefault(); setQuery(''); } }} />
          <button class="danger" disabled={chosen.length === 0} onClick={() => remove(chosen.map((e) => e.id))}>
            {chosen.length > 0 ? t('entries_deleteSelectedCount', chosen.length) : t('entries_deleteSelected')}
          </button>
        </div>
      )}
      {query && (
        <p class="muted small" role="status">
          {shown.length === 0 ? t('codes_noMatch', query) : t('entries_showing', shown.length, entries.length)}
        </p>
      )}
      <ol class="entries" aria-label={t('entries_list_label')}>
        {shown.map((e) => (
          <li key={e.id} class="card" data-entry-id={e.id}
            data-drop={dropHint?.id === e.id ? (dropHint.after ? 'after' : 'before') : undefined}
            data-dragging={dragging === e.id || undefined}
            {...(editing === e.id ? {} : dropTarget(e))}>
            {editing === e.id ? (
              <ManualForm editing={e} onCancel={() => setEditing(null)} onSaved={() => { setEditing(null); void reload(); }} />
            ) : (
              <EntryCard entry={e} selected={selected.has(e.id)}
                actions={{
                  onSelect: (on) => setSelected((s) => {
                    const next = new Set(s);
                    if (on) next.add(e.id); else next.delete(e.id);
                    return next;
                  }),
                  onPin: () => act(() => call('entries/pin', { id: e.id, pinned: !e.pinned })),
                  onUp: upOrDown(e, -1),
                  onDown: upOrDown(e, 1),
                  onEdit: () => setEditing(e.id),
                  onDelete: () => remove([e.id]),
                }}
                drag={{
                  onDragStart: (ev) => {
                    ev.dataTransfer?.setData(DRAG_TYPE, e.id); // Firefox starts a drag only with data set
                    if (ev.dataTransfer) ev.dataTransfer.effectAllowed = 'move';
                    setDragging(e.id);
                  },
                  onDragEnd: () => { setDragging(null); setDropHint(null); },
                }} />
            )}
          </li>
        ))}
      </ol>
      {undo.length > 0 && (
        <div class="toast" role="status">
          {deletedText(undo)}
          <button onClick={() => { const back = undo; setUndo([]); void act(() => call('entries/restore-many', { entries: back })); }}>{t('action_undo')}</button>
        </div>
      )}
    </section>
  );

  function upOrDown(e: OtpEntry, delta: -1 | 1) {
    const to = stepIndex(entries, shown, e.id, delta);
    return to === null ? null : () => void move(e.id, to);
  }
}
