/**
 * The options list of codes as data: where a move lands, what "selected" means while a search
 * hides some cards. No UI here; EntriesSection renders it and the vault does the moving.
 */
import type { OtpEntry } from '../vault/types';
import { entryTitle } from '../ui/entry-view';
import { t } from '../i18n/t';

/**
 * The `toIndex` for `entries/move` that puts `movingId` just before (or after) `targetId`.
 * `vault.move` takes the entry out and inserts it at `toIndex` of what is left, so the index
 * is counted in the list without the moving entry.
 */
export function dropIndex(entries: readonly OtpEntry[], movingId: string, targetId: string, after: boolean): number | null {
  if (movingId === targetId) return null;
  const rest = entries.filter((e) => e.id !== movingId);
  const target = rest.findIndex((e) => e.id === targetId);
  if (target < 0 || rest.length === entries.length) return null;
  return target + (after ? 1 : 0);
}

/** Pinned codes stay above the others (the vault keeps them apart): a drop across the line means nothing. */
export function canDrop(entries: readonly OtpEntry[], movingId: string, targetId: string): boolean {
  const moving = entries.find((e) => e.id === movingId);
  const target = entries.find((e) => e.id === targetId);
  return !!moving && !!target && moving !== target && moving.pinned === target.pinned;
}

/**
 * One step up (-1) or down (+1) among the cards shown: past the neighbour the person sees, not
 * past a code the search hides. Null at either end of what is shown, or at the pinned group's edge.
 */
export function stepIndex(entries: readonly OtpEntry[], shown: readonly OtpEntry[], id: string, delta: -1 | 1): number | null {
  const at = shown.findIndex((e) => e.id === id);
  const neighbour = shown[at + delta];
  if (at < 0 || !neighbour || !canDrop(entries, id, neighbour.id)) return null;
  return dropIndex(entries, id, neighbour.id, delta > 0);
}

/** The selected codes a person can see: a search never lets "Delete selected" reach hidden cards. */
export function selectedShown(selected: ReadonlySet<string>, shown: readonly OtpEntry[]): OtpEntry[] {
  return shown.filter((e) => selected.has(e.id));
}

/** "Deleted GitHub." or "Deleted 3 codes." */
export function deletedText(removed: readonly OtpEntry[]): string {
  return removed.length === 1 ? t('entries_deleted', entryTitle(removed[0]!)) : t('entries_deletedMany', removed.length);
}
