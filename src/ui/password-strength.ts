/**
 * A rough strength hint for the vault password. It cannot know what an
 * attacker knows; it only steers people away from short and single-class
 * passwords and obvious patterns. The vault enforces only a minimum length.
 */
export interface Strength {
  /** 0 (very weak) to 4 (strong). */
  score: 0 | 1 | 2 | 3 | 4;
  label: string;
  hint: string;
}

export const MIN_PASSWORD_LENGTH = 8;

const COMMON = /^(password|passw0rd|qwerty|letmein|welcome|admin|iloveyou|monkey|dragon|abc123|123456|111111)/i;

export function passwordStrength(pw: string): Strength {
  if (pw.length < MIN_PASSWORD_LENGTH) {
    return { score: 0, label: 'Too short', hint: `Use at least ${MIN_PASSWORD_LENGTH} characters; a few unrelated words work well.` };
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
  if (bits < 40) return { score: 1, label: 'Weak', hint: 'Longer is better: add another word or two.' };
  if (bits < 60) return { score: 2, label: 'Fair', hint: 'Good enough for a device you control; longer is stronger.' };
  if (bits < 80) return { score: 3, label: 'Strong', hint: 'Remember it: there is no way to recover a forgotten password.' };
  return { score: 4, label: 'Very strong', hint: 'Remember it: there is no way to recover a forgotten password.' };
}
