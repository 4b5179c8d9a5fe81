import { describe, expect, it } from 'vitest';
import { everywhereCounts } from '../../src/i18n/counts';

describe('everywhereCounts', () => {
  it('names only the counts that are not zero, in order', () => {
    expect(everywhereCounts({ confirmed: 2, notConfirmed: 0, failed: 0 })).toBe('2 confirmed');
    expect(everywhereCounts({ confirmed: 1, notConfirmed: 0, failed: 1 })).toBe('1 confirmed · 1 failed');
    expect(everywhereCounts({ confirmed: 0, notConfirmed: 3, failed: 1 })).toBe('3 not confirmed · 1 failed');
  });

  it('says "0 confirmed" when there was nothing to count', () => {
    expect(everywhereCounts({ confirmed: 0, notConfirmed: 0, failed: 0 })).toBe('0 confirmed');
  });
});
