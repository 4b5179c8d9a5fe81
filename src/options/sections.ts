import type { OptionsSection } from '../ui/open-options';

/** The options page's sections, in the order the navigation lists them. */
export const SECTIONS: readonly { id: OptionsSection; label: string }[] = [
  { id: 'accounts', label: 'Accounts' },
  { id: 'authenticator', label: 'Authenticator' },
  { id: 'import', label: 'Import & backup' },
  { id: 'audit', label: 'Audit log' },
  { id: 'security', label: 'Security' },
];

export type SectionId = OptionsSection;

/** The section the address names; without one, the first listed (Accounts: Revoke is about sessions first). */
export function sectionFromHash(hash: string): SectionId {
  const id = hash.slice(1);
  return SECTIONS.find((s) => s.id === id)?.id ?? SECTIONS[0]!.id;
}
