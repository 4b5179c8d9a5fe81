/**
 * A connector's name and how it asks for its address, in the browser's language. Connectors are
 * domain code and carry English (ConnectorMeta); the words for the page are connector_<id>_* in
 * _locales (test/unit/i18n-connectors.test.ts checks that every connector has them).
 */
import { tIfKnown } from '../i18n/t';

export const connectorKey = (id: string, part: 'name' | 'label' | 'help') => `connector_${id.replace(/-/g, '_')}_${part}`;

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
