import { describe, expect, it } from 'vitest';
import type { Session } from '../../src/connectors/types';
import { arrangeSessions } from '../../src/sessions/session-order';

const s = (id: string, lastActiveAt?: number, current = false): Session => ({ id, current, extra: {}, ...(lastActiveAt !== undefined && { lastActiveAt }) });

describe('arrangeSessions', () => {
  it('sets this browser’s session apart and sorts the others by last activity, unknown times last', () => {
    const { current, others } = arrangeSessions([s('old', 1), s('none-a'), s('mine', 2, true), s('new', 9), s('none-b'), s('mid', 5)]);
    expect(current?.id).toBe('mine');
    expect(others.map((x) => x.id)).toEqual(['new', 'mid', 'old', 'none-a', 'none-b']);
  });

  it('has no current session when this browser’s is not listed', () => {
    expect(arrangeSessions([s('a', 1)]).current).toBeUndefined();
  });
});
