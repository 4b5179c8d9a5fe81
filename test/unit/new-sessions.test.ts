import { describe, expect, it } from 'vitest';
import type { Session } from '../../src/connectors/types';
import { MAX_SEEN_IDS, newSessionIds, seenIds } from '../../src/sessions/new-sessions';

const session = (id: string, current = false): Session => ({ id, current, extra: {} });

describe('newSessionIds', () => {
  it('marks sessions the person was not shown last time', () => {
    const now = [session('a', true), session('b'), session('c')];
    expect([...newSessionIds(now, ['a', 'b'])]).toEqual(['c']);
  });

  it('marks nothing on a first look (no baseline)', () => {
    expect(newSessionIds([session('a'), session('b')], undefined).size).toBe(0);
  });

  it('never marks this browser’s own session', () => {
    expect(newSessionIds([session('mine', true)], []).size).toBe(0);
  });

  it('marks every other session when the person last saw none', () => {
    expect([...newSessionIds([session('x'), session('y')], [])]).toEqual(['x', 'y']);
  });
});

describe('seenIds', () => {
  it('records the ids shown, capped', () => {
    expect(seenIds([session('a'), session('b')])).toEqual(['a', 'b']);
    const many = Array.from({ length: MAX_SEEN_IDS + 5 }, (_, i) => session(String(i)));
    expect(seenIds(many)).toHaveLength(MAX_SEEN_IDS);
  });
});
