/**
 * The Microsoft connectors' cases (personal and work or school accounts alike), each against its
 * stand-in in test/connectors/servers/microsoft.ts, run by test/connectors/harness.ts.
 */
import { THIS_BROWSER } from '../../../src/connectors/common';
import type { ConnectorCase } from './types';

function casesAt(server: string): ConnectorCase[] {
  return [
    {
      name: 'signed out: whoami is null, signing out says signed-out',
      server,
      steps: [
        { do: 'whoami', expect: null },
        { do: 'revoke', target: 'all', expect: { error: 'signed-out' } },
      ],
    },
    {
      name: 'signed in: this browser holds the session cookie, and the account is not named',
      server,
      steps: [
        { do: 'server', action: 'sign-in' },
        { do: 'whoami', expect: { account: 're:^127\\.0\\.0\\.1:\\d+$', sessionId: THIS_BROWSER } },
      ],
    },
    {
      name: 'signs this browser out at the sign-out address: the session ends and its cookies expire',
      server,
      steps: [
        { do: 'server', action: 'sign-in' },
        { do: 'revoke', target: 'all', expect: 'ok' },
        { do: 'whoami', expect: null },
      ],
    },
    {
      name: 'a sign-out Microsoft answers with an error ends nothing and is reported as such',
      server,
      steps: [
        { do: 'server', action: 'sign-in' },
        { do: 'server', action: 'fail-sign-out' },
        { do: 'revoke', target: 'all', expect: { error: 'server' } },
        { do: 'whoami', expect: { account: 'type:string' } },
      ],
    },
    {
      name: 'a sign-out address that is gone is page-changed, and nothing ends',
      server,
      steps: [
        { do: 'server', action: 'sign-in' },
        { do: 'server', action: 'move-sign-out' },
        { do: 'revoke', target: 'all', expect: { error: 'page-changed' } },
      ],
    },
  ];
}

export const personalCases = casesAt('microsoft-personal');
export const workCases = casesAt('microsoft-work');
