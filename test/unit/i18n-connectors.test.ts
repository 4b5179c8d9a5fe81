import { describe, expect, it } from 'vitest';
import en from '../../_locales/en/messages.json';
import { connectors } from '../../src/connectors/registry';
import { connectorKey } from '../../src/ui/connector-text';

describe('connectors in every language', () => {
  it('have their name, and the words that ask for their address, in the messages files', () => {
    const keys = new Set(Object.keys(en));
    const missing = connectors.flatMap((c) =>
      (['name', ...(c.meta.instanceUrl ? ['label', 'help'] as const : [])] as const)
        .map((part) => connectorKey(c.meta.id, part))
        .filter((key) => !keys.has(key)));
    expect(missing).toEqual([]);
  });

  it('say in English what the connector itself says (the files are the one place the words live)', () => {
    for (const c of connectors) {
      expect((en as Record<string, { message: string }>)[connectorKey(c.meta.id, 'name')]?.message).toBe(c.meta.name);
    }
  });
});
