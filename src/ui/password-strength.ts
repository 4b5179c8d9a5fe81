/**
 * A rough strength hint for the vault password. It cannot know what an
 * attacker knows; it only steers people away from short and single-class
 * passwords and obvious patterns. The vault enforces only a minimum length.
 */
import type { MessageKey, Said } from '../i18n/t';
export interface Strength {
  /** 0 (very weak) to 4 (strong). */
  score: 0 | 1 | 2 | 3 | 4;
  /** Message keys: the page puts them into words. */
  label: MessageKey;
  hint: Said;
}

export const MIN_PASSWORD_LENGTH = 8;

const COMMON = /^(password|passw0rd|qwerty|letmein|welcome|admin|iloveyou|monkey|dragon|abc123|123456|111111)/i;

export function passwordStrength(pw: string): Strength {
  if (pw.length < MIN_PASSWORD_LENGTH) {
    return { score: 0, label: 'strength_tooShort', hint: { key: 'strength_tooShortHint', subs: [MIN_PASSWORD_LENGTH] } };
  }
  let pool = 0;
  if (/[a-z]/.test(pw)) pool += 26;
  if (/[A-Z]/.test(pw)) pool += 26;
  if (/[0-9]/.test(pw)) pool += 10;
  if (/[^a-zA-Z0-9]/.test(pw)) pool += 33;
  // Repeats and runs add little: count only distinct characters' worth of length.
  const distinct = new Set(pw).size;
  const effectiveLength = Math.min(pw.length, distinct * 2);
  let bits = effectiveLength * Math.log2(Math.max(pool, 2));
  if (COMMON.test(pw)) bits = Math.min(bits, 20);
  if (bits < 40) return { score: 1, label: 'strength_weak', hint: { key: 'strength_weakHint' } };
  if (bits < 60) return { score: 2, label: 'strength_fair', hint: { key: 'strength_fairHint' } };
  if (bits < 80) return { score: 3, label: 'strength_strong', hint: { key: 'strength_rememberHint' } };
  return { score: 4, label: 'strength_veryStrong', hint: { key: 'strength_rememberHint' } };
}
