import type { OptionsSection } from '../ui/open-options';
import type { MessageKey } from '../i18n/t';

/** The options page's sections, in the order the navigation lists them. */
export const SECTIONS: readonly { id: OptionsSection; label: MessageKey }[] = [
  // Sessions first (what Revoke is for), then the authenticator's.
  { id: 'accounts', label: 'section_accounts' },
  { id: 'watch', label: 'watch_section' },
  { id: 'panic', label: 'panic_section' },
  { id: 'audit', label: 'auditLog' },
  { id: 'authenticator', label: 'authenticator' },
  { id: 'import', label: 'section_import' },
  { id: 'security', label: 'section_security' },
];

export type SectionId = OptionsSection;

/** The section the address names; without one, the first listed (Accounts: Revoke is about sessions first). */
export function sectionFromHash(hash: string): SectionId {
  const id = hash.slice(1);
  return SECTIONS.find((s) => s.id === id)?.id ?? SECTIONS[0]!.id;
}
