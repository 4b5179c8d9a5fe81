/** Ory Kratos's cases, run against test/connectors/servers/kratos.ts by test/connectors/harness.ts. */
import type { ConnectorCase } from './types';
import { CHROME_WINDOWS, FIREFOX_LINUX, SAFARI_IPHONE } from './user-agents';

const signedInWithOthers: ConnectorCase['steps'] = [
  { do: 'server', action: 'sign-in', args: { userAgent: FIREFOX_LINUX, ip: '203.0.113.7', city: 'Munich', country: 'DE' } },
  { do: 'server', action: 'sign-in-elsewhere', args: { userAgent: SAFARI_IPHONE, ip: '198.51.100.23' } },
  { do: 'server', action: 'sign-in-elsewhere', args: { userAgent: CHROME_WINDOWS, ip: '192.0.2.44' } },
  { do: 'server', action: 'sign-in-elsewhere', args: { user: 'bob', userAgent: CHROME_WINDOWS } },
];

export const cases: ConnectorCase[] = [
  {
    name: 'signed out: whoami is null, listing and ending say signed-out',
    server: 'kratos',
    steps: [
      { do: 'server', action: 'sign-in-elsewhere', args: { userAgent: CHROME_WINDOWS } },
      { do: 'whoami', expect: null },
      { do: 'list', expect: { error: 'signed-out' } },
      { do: 'revoke', target: 'others', expect: { error: 'signed-out' } },
    ],
  },
  {
    name: 'lists this browser (whoami) and the others, with devices',
    server: 'kratos',
    steps: [
      ...signedInWithOthers,
      { do: 'whoami', expect: { account: 'alice@example.org', sessionId: 're:^[0-9a-f-]{36}$' } },
      {
        do: 'list',
        expect: {
          count: 3,
          currentCount: 1,
          match: [
            { current: true, browser: 'Firefox 133', os: 'Linux', ip: '203.0.113.7', location: 'Munich, DE', createdAt: 'type:number', expiresAt: 'type:number', extra: { 'Signed in with': 'password', 'User agent': FIREFOX_LINUX } },
            { current: false, browser: 'Safari 18', os: 'iOS', device: 'Phone', ip: '198.51.100.23', location: 'absent' },
            { current: false, browser: 'Chrome 131', os: 'Windows', ip: '192.0.2.44' },
          ],
        },
      },
    ],
  },
  {
    name: 'reads every page of other sessions',
    server: 'kratos',
    steps: [...signedInWithOthers, { do: 'server', action: 'page-size', args: { n: 1 } }, { do: 'list', expect: { count: 3, currentCount: 1 } }],
  },
  {
    name: 'ends one other session',
    server: 'kratos',
    steps: [...signedInWithOthers, { do: 'revoke', target: { pick: 'first-other' }, expect: 'ok' }, { do: 'list', expect: { count: 2, currentCount: 1 } }],
  },
  {
    name: 'ends all the others and keeps this browser',
    server: 'kratos',
    steps: [...signedInWithOthers, { do: 'revoke', target: 'others', expect: 'ok' }, { do: 'list', expect: { count: 1, currentCount: 1 } }],
  },
  {
    name: "this browser's own session ends through Kratos's logout flow",
    server: 'kratos',
    steps: [...signedInWithOthers, { do: 'revoke', target: { pick: 'current' }, expect: 'ok' }, { do: 'whoami', expect: null }],
  },
  {
    name: 'ends every session: the others, then this browser through the logout flow',
    server: 'kratos',
    steps: [...signedInWithOthers, { do: 'revoke', target: 'all', expect: 'ok' }, { do: 'whoami', expect: null }],
  },
  {
    name: 'a cookie Kratos refuses (its session revoked elsewhere) reads as signed out',
    server: 'kratos',
    steps: [...signedInWithOthers, { do: 'server', action: 'revoke-mine-elsewhere' }, { do: 'whoami', expect: null }, { do: 'list', expect: { error: 'signed-out' } }, { do: 'revoke', target: 'others', expect: { error: 'signed-out' } }],
  },
  {
    name: 'a second factor wanted first is reauth',
    server: 'kratos',
    steps: [...signedInWithOthers, { do: 'server', action: 'require-aal2' }, { do: 'whoami', expect: { error: 'reauth' } }, { do: 'list', expect: { error: 'reauth' } }],
  },
  {
    name: 'a page where the list of sessions belongs is page-changed, never "no other sessions"',
    server: 'kratos',
    steps: [...signedInWithOthers, { do: 'server', action: 'html-list' }, { do: 'list', expect: { error: 'page-changed' } }],
  },
];

