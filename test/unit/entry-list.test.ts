import { describe, expect, it } from 'vitest';
import { canDrop, deletedText, dropIndex, selectedShown, stepIndex } from '../../src/options/entry-list';
import type { OtpEntry } from '../../src/vault/types';

const entry = (id: string, pinned = false): OtpEntry => ({
  id, type: 'totp', secret: 'JBSWY3DPEHPK3PXP', issuer: id, account: '', algorithm: 'SHA1', digits: 6, period: 30,
  counter: 0, note: '', site: '', pinned, position: 0, createdAt: 0, updatedAt: 0,
});
// Pinned P first, then A..E: the order the vault lists them in.
const list = [entry('P', true), entry('A'), entry('B'), entry('C'), entry('D'), entry('E')];

/** What vault.move does with toIndex: take the entry out, insert it there. */
function applyMove(entries: readonly OtpEntry[], id: string, toIndex: number): string[] {
  const rest = entries.filter((e) => e.id !== id);
  rest.splice(toIndex, 0, entries.find((e) => e.id === id)!);
  return rest.map((e) => e.id);
}

describe('dropIndex', () => {
  it('puts a code just before or after the card it was dropped on, dragged down or up', () => {
    expect(applyMove(list, 'A', dropIndex(list, 'A', 'D', false)!)).toEqual(['P', 'B', 'C', 'A', 'D', 'E']);
    expect(applyMove(list, 'A', dropIndex(list, 'A', 'D', true)!)).toEqual(['P', 'B', 'C', 'D', 'A', 'E']);
    expect(applyMove(list, 'E', dropIndex(list, 'E', 'B', false)!)).toEqual(['P', 'A', 'E', 'B', 'C', 'D']);
    expect(applyMove(list, 'E', dropIndex(list, 'E', 'B', true)!)).toEqual(['P', 'A', 'B', 'E', 'C', 'D']);
  });

  it('is null for a drop on itself or an unknown card', () => {
    expect(dropIndex(list, 'A', 'A', true)).toBeNull();
    expect(dropIndex(list, 'A', 'nope', true)).toBeNull();
    expect(dropIndex(list, 'nope', 'A', true)).toBeNull();
  });
});

describe('canDrop', () => {
  it('keeps pinned and unpinned codes apart', () => {
    expect(canDrop(list, 'A', 'P')).toBe(false);
    expect(canDrop(list, 'P', 'E')).toBe(false);
    expect(canDrop(list, 'A', 'E')).toBe(true);
    expect(canDrop(list, 'A', 'A')).toBe(false);
  });
});

describe('stepIndex', () => {
  it('moves one card past its shown neighbour, skipping codes a search hides', () => {
    const shown = [list[1]!, list[4]!, list[5]!]; // A, D, E
    expect(applyMove(list, 'D', stepIndex(list, shown, 'D', -1)!)).toEqual(['P', 'D', 'A', 'B', 'C', 'E']);
    expect(applyMove(list, 'A', stepIndex(list, shown, 'A', 1)!)).toEqual(['P', 'B', 'C', 'D', 'A', 'E']);
    expect(applyMove(list, 'B', stepIndex(list, list, 'B', 1)!)).toEqual(['P', 'A', 'C', 'B', 'D', 'E']);
  });

  it('is null at the ends of what is shown and at the pinned group’s edge', () => {
    expect(stepIndex(list, list, 'E', 1)).toBeNull();
    expect(stepIndex(list, list, 'P', -1)).toBeNull();
    expect(stepIndex(list, list, 'A', -1)).toBeNull();
    expect(stepIndex(list, list, 'P', 1)).toBeNull();
  });
});

describe('selection', () => {
  it('acts only on the selected codes that are shown', () => {
    expect(selectedShown(new Set(['A', 'C', 'E']), [list[1]!, list[2]!, list[3]!]).map((e) => e.id)).toEqual(['A', 'C']);
  });

  it('says what was deleted', () => {
    expect(deletedText([list[1]!])).toBe('Deleted A.');
    expect(deletedText([list[1]!, list[2]!, list[3]!])).toBe('Deleted 3 codes.');
  });
});
