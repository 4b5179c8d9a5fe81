import { describe, expect, it } from 'vitest';
import { passwordStrength } from '../../src/ui/password-strength';

describe('passwordStrength', () => {
  it('calls short passwords too short', () => {
    expect(passwordStrength('abc').score).toBe(0);
    expect(passwordStrength('abc').label).toBe('strength_tooShort');
  });
  it('ranks common and repetitive passwords weak', () => {
    expect(passwordStrength('password123').score).toBe(1);
    expect(passwordStrength('aaaaaaaaaaaaaaaa').score).toBe(1);
  });
  it('ranks long varied passphrases strong', () => {
    expect(passwordStrength('correct horse battery staple').score).toBeGreaterThanOrEqual(3);
    expect(passwordStrength('Tr0ub4dor&3-x!kQ').score).toBeGreaterThanOrEqual(3);
  });
  it('grows with length', () => {
    expect(passwordStrength('kq8vx2mz').score).toBeLessThan(passwordStrength('kq8vx2mzT7#pL9wq').score);
  });
});
