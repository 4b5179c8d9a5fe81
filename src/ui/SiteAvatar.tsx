/** The letter tile beside a code's name (see letter-avatar.ts for why not a favicon). */
import type { OtpEntry } from '../vault/types';
import { letterAvatar } from './letter-avatar';

export function SiteAvatar({ entry }: { entry: Pick<OtpEntry, 'issuer' | 'account' | 'site'> }) {
  const { letter, hue } = letterAvatar(entry);
  // Decorative: the name beside it says the same.
  return <span class="avatar" aria-hidden="true" style={{ '--hue': hue } as Record<string, number>}>{letter}</span>;
}
