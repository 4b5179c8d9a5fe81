import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import de from '../../_locales/de/messages.json';
import en from '../../_locales/en/messages.json';
import { nextcloudConnector } from '../../src/connectors/nextcloud';
import { microsoftWorkConnector } from '../../src/connectors/microsoft';
import { connectors } from '../../src/connectors/registry';
import { connectorError } from '../../src/connectors/common';
import { ConnectorError } from '../../src/connectors/types';
import { messageSource } from '../../src/i18n/messages-file';
import { setMessageSource } from '../../src/i18n/t';
import { failedFrom, failure } from '../../src/sessions/outcomes';
import { connectorKey } from '../../src/i18n/connector-text';
import { describeFailure } from '../../src/ui/session-bits';
import { contextFor, newBrowser } from '../connectors/harness';
import { closedPort } from '../connectors/servers/hostile';

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

describe('connector failures in German', () => {
  beforeEach(() => setMessageSource(messageSource(de, 'de')));
  afterEach(() => setMessageSource(messageSource(en, 'en')));

  it('say an unreachable service in German, through a real connector and context', async () => {
    const port = await closedPort();
    const origin = `http://127.0.0.1:${port}`;
    const ctx = contextFor(nextcloudConnector, { id: 'nc', connectorId: 'nextcloud', origin, instanceUrl: origin, settings: {} }, newBrowser(), { timeoutMs: 2_000 });
    const e = await nextcloudConnector.whoami(ctx).then(() => null, (e: unknown) => e);
    expect(e).toBeInstanceOf(ConnectorError);
    expect(e).toMatchObject({ kind: 'offline', message: `127.0.0.1:${port} war nicht erreichbar.`, said: { key: 'connErr_unreachable', subs: [`127.0.0.1:${port}`] } });
  });

  it('say a hosted service’s refusals in German: no other devices, and not signed in here', async () => {
    const origin = 'https://login.microsoftonline.com';
    const ctx = contextFor(microsoftWorkConnector, { id: 'ms', connectorId: 'microsoft-work', origin, settings: {} }, newBrowser());
    const others = await microsoftWorkConnector.revoke!(ctx, 'others').then(() => null, (e: unknown) => e);
    expect(others).toMatchObject({ kind: 'unsupported', message: 'Microsoft lässt keine App eine einzelne Sitzung oder die anderen Geräte beenden; Revoke meldet nur diesen Browser ab.' });
    const all = await microsoftWorkConnector.revoke!(ctx, 'all').then(() => null, (e: unknown) => e);
    expect(all).toMatchObject({ kind: 'signed-out', said: { key: 'words_msSignedOutWork' }, message: 'Dieser Browser ist bei keinem Geschäfts-, Schul- oder Unikonto von Microsoft angemeldet.' });
  });

  it('carry the key to the views, which say it in their own language', () => {
    setMessageSource(messageSource(en, 'en'));
    const outcome = failedFrom(connectorError('timeout', { key: 'connErr_timeoutSeconds', subs: ['cloud.example.org', 1.5] }));
    expect(outcome).toMatchObject({ status: 'failed', message: 'cloud.example.org did not answer within 1.5 s.' });
    setMessageSource(messageSource(de, 'de'));
    if (outcome.status !== 'failed') throw new Error('expected a failed outcome');
    expect(describeFailure(outcome.kind, outcome.message, outcome.said)).toContain('cloud.example.org hat nicht innerhalb von 1,5 s geantwortet.');
  });

  it('count what is left with the plural, and still show a connector’s own English when it gave no key', () => {
    const left = connectorError('server', { plural: 'connErr_ncLeft', count: 2, subs: ['cloud.example.org'] });
    expect(left.message).toBe('Nextcloud auf cloud.example.org listet noch 2 andere Sitzungen, obwohl es ihr Beenden angenommen hat; dieser Browser bleibt angemeldet.');
    const plain = new ConnectorError('server', 'The forum said no.', 'HTTP 418');
    expect(failure(plain)).toEqual({ kind: 'server', message: 'The forum said no.', detail: 'HTTP 418' });
    expect(describeFailure('server', plain.message, failure(plain).said)).toContain('The forum said no.');
  });
});
