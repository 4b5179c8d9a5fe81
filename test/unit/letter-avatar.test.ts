import { describe, expect, it } from 'vitest';
import { letterAvatar } from '../../src/ui/letter-avatar';

const e = (issuer: string, site = '', account = '') => ({ issuer, site, account });

describe('letterAvatar', () => {
  it('takes the first letter or digit of the name, upper case', () => {
    expect(letterAvatar(e('github')).letter).toBe('G');
    expect(letterAvatar(e('1Password')).letter).toBe('1');
    expect(letterAvatar(e('', 'example.com')).letter).toBe('E');
    expect(letterAvatar(e('', '', 'alice@example.com')).letter).toBe('A');
    expect(letterAvatar(e('élan')).letter).toBe('É');
  });

  it('skips hidden characters, quotes and emoji, and says # when there is no letter', () => {
    expect(letterAvatar(e('\u202Egnp.exe')).letter).toBe('G');
    expect(letterAvatar(e('🔐 "Bank"')).letter).toBe('B');
    expect(letterAvatar(e('🔐🔑')).letter).toBe('#');
    expect(letterAvatar(e('')).letter).toBe('#');
  });

  it('gives one site one colour whatever the issuer is called, and different sites different colours', () => {
    const a = letterAvatar(e('GitHub', 'github.com'));
    expect(letterAvatar(e('GitHub work', 'GitHub.com')).hue).toBe(a.hue);
    const hues = new Set(['github.com', 'gitlab.com', 'example.com', 'proton.me', 'google.com'].map((s) => letterAvatar(e('x', s)).hue));
    expect(hues.size).toBe(5);
    for (const h of hues) {
      expect(h).toBeGreaterThanOrEqual(0);
      expect(h).toBeLessThan(360);
    }
  });
});
