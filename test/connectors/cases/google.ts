/** Google's cases, run against test/connectors/servers/google.ts by test/connectors/harness.ts. */
import type { ConnectorCase } from './types';


export const cases: ConnectorCase[] = [
  {
    name: 'signed out: no account listed, whoami is null, signing out says signed-out',
    server: 'google',
    steps: [
      { do: 'whoami', expect: null },
      { do: 'revoke', target: 'all', expect: { error: 'signed-out' } },
    ],
  },
  {
    name: 'who am I: every account signed in to this browser, primary first',
    server: 'google',
    steps: [
      { do: 'server', action: 'sign-in', args: { emails: ['alice@gmail.com', 'alice@work.example'] } },
      { do: 'whoami', expect: { account: 'alice@gmail.com, alice@work.example' } },
    ],
  },
  {
    name: 'accounts Google still lists but marks signed out are not signed in',
    server: 'google',
    steps: [
      { do: 'server', action: 'sign-in', args: { emails: ['alice@gmail.com', 'old@gmail.com'] } },
      { do: 'server', action: 'mark-signed-out', args: { email: 'old@gmail.com' } },
      { do: 'whoami', expect: { account: 'alice@gmail.com' } },
      { do: 'server', action: 'mark-signed-out', args: { email: 'alice@gmail.com' } },
      { do: 'whoami', expect: null },
    ],
  },
  {
    name: 'signs this browser out through Logout: Google expires its cookies and lists no account after',
    server: 'google',
    steps: [
      { do: 'server', action: 'sign-in', args: { emails: ['alice@gmail.com'] } },
      { do: 'revoke', target: 'all', expect: 'ok' },
      { do: 'whoami', expect: null },
    ],
  },
  {
    name: 'a refused sign-out is forbidden, and the browser stays signed in',
    server: 'google',
    steps: [
      { do: 'server', action: 'sign-in', args: { emails: ['alice@gmail.com'] } },
      { do: 'server', action: 'refuse-logout' },
      { do: 'revoke', target: 'all', expect: { error: 'forbidden' } },
      { do: 'whoami', expect: { account: 'alice@gmail.com' } },
    ],
  },
  {
    name: 'ListAccounts answering another shape is page-changed, never "signed out"',
    server: 'google',
    steps: [
      { do: 'server', action: 'sign-in', args: { emails: ['alice@gmail.com'] } },
      { do: 'server', action: 'change-list-accounts' },
      { do: 'whoami', expect: { error: 'page-changed' } },
      { do: 'revoke', target: 'all', expect: { error: 'page-changed' } },
    ],
  },
];
