/**
 * A connector's name and how it asks for its address, in the browser's language. Connectors are
 * domain code and carry English (ConnectorMeta); the words for the page are connector_<id>_* in
 * _locales (test/unit/i18n-connectors.test.ts checks that every connector has them).
 */
import { tIfKnown } from './t';

/** The _locales keys of a connector's words (connector_<id>_name, …). */
export const connectorKey = (id: string, part: 'name' | 'label' | 'help' | 'user' | 'signInHelp') => `connector_${id.replace(/-/g, '_')}_${part}`;

export function connectorName(c: { id: string; name: string }): string {
  return tIfKnown(connectorKey(c.id, 'name')) ?? c.name;
}

export function instanceUrlText(c: { id: string; instanceUrl?: { label: string; placeholder: string; help: string } }) {
  if (!c.instanceUrl) return undefined;
  return {
    label: tIfKnown(connectorKey(c.id, 'label')) ?? c.instanceUrl.label,
    placeholder: c.instanceUrl.placeholder, // an example address: the same in every language
    help: tIfKnown(connectorKey(c.id, 'help')) ?? c.instanceUrl.help,
  };
}

/** For services Revoke signs in to itself (Matrix): what the account is called, and what happens to the password. */
export function signInText(c: { id: string; signIn?: { userLabel: string; userPlaceholder: string; help: string } }) {
  if (!c.signIn) return undefined;
  return {
    userLabel: tIfKnown(connectorKey(c.id, 'user')) ?? c.signIn.userLabel,
    userPlaceholder: c.signIn.userPlaceholder, // an example: the same in every language
    help: tIfKnown(connectorKey(c.id, 'signInHelp')) ?? c.signIn.help,
  };
}
