/** One code in the options list: select, drag, pin, move, edit, delete. */
import type { OtpEntry } from '../vault/types';
import { entryTitle } from '../ui/entry-view';
import { SiteAvatar } from '../ui/SiteAvatar';
import { Untrusted } from '../ui/Untrusted';
import { t } from '../i18n/t';

const TYPE_LABEL = { totp: 'TOTP', hotp: 'HOTP', steam: 'Steam' } as const;

export interface CardActions {
  onSelect: (on: boolean) => void;
  onPin: () => void;
  /** Null where there is nowhere to go (the button is disabled). */
  onUp: (() => void) | null;
  onDown: (() => void) | null;
  onEdit: () => void;
  onDelete: () => void;
}

/** `drag` are the handle's HTML5 drag handlers; the card itself is the drop target (see EntriesSection). */
export function EntryCard({ entry: e, selected, actions, drag }: {
  entry: OtpEntry;
  selected: boolean;
  actions: CardActions;
  drag: { onDragStart: (ev: DragEvent) => void; onDragEnd: () => void };
}) {
  const title = entryTitle(e);
  return (
    <div class="row entry-card"
      onKeyDown={(ev) => {
        if (!ev.altKey) return;
        if (ev.key === 'ArrowUp' && actions.onUp) { ev.preventDefault(); actions.onUp(); }
        if (ev.key === 'ArrowDown' && actions.onDown) { ev.preventDefault(); actions.onDown(); }
      }}>
      {/* Mouse only: the ↑/↓ buttons and Alt+arrows do the same from the keyboard. */}
      <span class="drag-handle" draggable title={t('card_drag')} aria-hidden="true" {...drag}>⠿</span>
      <input type="checkbox" class="select" checked={selected} aria-label={t('card_select', title)}
        onChange={(ev) => actions.onSelect(ev.currentTarget.checked)} />
      <SiteAvatar entry={e} />
      <div class="grow names-wrap">
        <div><strong><Untrusted text={title} /></strong> <span class="badge">{TYPE_LABEL[e.type]}</span>
          {e.site && <span class="muted"> · <Untrusted text={e.site} /></span>}</div>
        {e.issuer && e.account && <div class="muted"><Untrusted text={e.account} /></div>}
        {e.note && <div class="muted note"><Untrusted text={e.note} /></div>}
      </div>
      <div class="row card-actions">
        <button class="icon" aria-pressed={e.pinned} title={t(e.pinned ? 'card_unpin' : 'card_pinToTop')}
          aria-label={t(e.pinned ? 'card_unpin_label' : 'card_pin_label', title)} onClick={actions.onPin}>{e.pinned ? '★' : '☆'}</button>
        <button class="icon" title={t('card_up')} aria-label={t('card_up_label', title)} disabled={!actions.onUp}
          onClick={() => actions.onUp?.()}>↑</button>
        <button class="icon" title={t('card_down')} aria-label={t('card_down_label', title)} disabled={!actions.onDown}
          onClick={() => actions.onDown?.()}>↓</button>
        <button onClick={actions.onEdit} aria-label={t('card_edit_label', title)}>{t('action_edit')}</button>
        <button class="danger" aria-label={t('card_delete_label', title)} onClick={actions.onDelete}>{t('action_delete')}</button>
      </div>
    </div>
  );
}
