/**
 * A site's mark without a favicon: its first letter on a colour derived from the site.
 *
 * Why not favicons: Chrome gives them to extensions only with the `favicon` permission, a new
 * install-time permission, and fetching `/favicon.ico` ourselves would tell every site in the
 * vault when the popup opens. A letter costs nothing, works offline and for imported codes whose
 * site was never visited, and the colour tells neighbours apart at a glance.
 */
import type { OtpEntry } from '../vault/types';

export interface LetterAvatar {
  /** One upper-case letter or digit, or '#' when the name has none. */
  letter: string;
  /** 0-359: the same site (or, without one, the same issuer) always gets the same hue. */
  hue: number;
}

const LETTER = /[\p{L}\p{N}]/u;

export function letterAvatar(e: Pick<OtpEntry, 'issuer' | 'account' | 'site'>): LetterAvatar {
  const name = e.issuer || e.site || e.account;
  // The first letter or digit: hidden characters, quotes and emoji are skipped, not shown as a tile.
  const found = Array.from(name.normalize('NFC')).find((c) => LETTER.test(c));
  const seed = (e.site || e.issuer || e.account).trim().toLowerCase();
  return { letter: found ? found.toLocaleUpperCase() : '#', hue: hash(seed) % 360 };
}

/** FNV-1a, 32 bits: stable across runs and browsers, spread enough for a hue. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
