/** authentik's cases, run against test/connectors/servers/authentik.ts by test/connectors/harness.ts. */
import type { ConnectorCase } from './types';
import { CHROME_WINDOWS, FIREFOX_LINUX, SAFARI_IPHONE } from './user-agents';

const signedInWithOthers: ConnectorCase['steps'] = [
  { do: 'server', action: 'sign-in', args: { userAgent: FIREFOX_LINUX, ip: '203.0.113.7' } },
  { do: 'server', action: 'sign-in-elsewhere', args: { userAgent: SAFARI_IPHONE, ip: '198.51.100.23', city: 'Vienna', country: 'AT' } },
  { do: 'server', action: 'sign-in-elsewhere', args: { userAgent: CHROME_WINDOWS, ip: '192.0.2.44' } },
  // Alice is an admin: authentik would show her bob's session too, unless the list is hers only.
  { do: 'server', action: 'sign-in-elsewhere', args: { user: 'bob', userAgent: CHROME_WINDOWS } },
];

export const cases: ConnectorCase[] = [
  {
    name: 'signed out: whoami is null, listing says signed-out',
    server: 'authentik',
    steps: [
      { do: 'server', action: 'sign-in-elsewhere', args: { userAgent: CHROME_WINDOWS } },
      { do: 'whoami', expect: null },
      { do: 'list', expect: { error: 'signed-out' } },
    ],
  },
  {
    name: "lists the person's own sessions (an admin's list filtered to her), this browser marked",
    server: 'authentik',
    steps: [
      ...signedInWithOthers,
      { do: 'whoami', expect: { account: 'alice (alice@example.org)' } },
      {
        do: 'list',
        expect: {
          count: 3,
          currentCount: 1,
          match: [
            { current: true, browser: 'Firefox 133', os: 'Linux', ip: '203.0.113.7', location: 'Munich, DE', lastActiveAt: 'type:number', expiresAt: 'type:number', extra: { 'User agent': FIREFOX_LINUX } },
            { current: false, browser: 'Mobile Safari 18', os: 'iOS 18', device: 'iPhone', ip: '198.51.100.23', location: 'Vienna, AT' },
            { current: false, browser: 'Chrome 131', os: 'Windows 10', ip: '192.0.2.44', location: 'absent' },
          ],
        },
      },
    ],
  },
  {
    name: 'reads every page',
    server: 'authentik',
    steps: [...signedInWithOthers, { do: 'server', action: 'page-size', args: { n: 1 } }, { do: 'list', expect: { count: 3, currentCount: 1 } }],
  },
  {
    name: 'ends one other session with the CSRF token',
    server: 'authentik',
    steps: [...signedInWithOthers, { do: 'revoke', target: { pick: 'first-other' }, expect: 'ok' }, { do: 'list', expect: { count: 2, currentCount: 1 } }],
  },
  {
    name: "ends this browser's own session when asked by id",
    server: 'authentik',
    steps: [...signedInWithOthers, { do: 'revoke', target: { pick: 'current' }, expect: 'ok' }, { do: 'whoami', expect: null }],
  },
  {
    name: 'a refused CSRF token is forbidden, and nothing ends',
    server: 'authentik',
    steps: [...signedInWithOthers, { do: 'server', action: 'spoil-csrf' }, { do: 'revoke', target: { pick: 'first-other' }, expect: { error: 'forbidden' } }],
  },
  {
    name: 'without the CSRF cookie nothing is sent: forbidden, and nothing ends',
    server: 'authentik',
    steps: [...signedInWithOthers, { do: 'server', action: 'drop-csrf-cookie' }, { do: 'revoke', target: { pick: 'first-other' }, expect: { error: 'forbidden' } }],
  },
  {
    name: 'an HTML page where the API belongs is page-changed, never "signed out" or "no sessions"',
    server: 'authentik',
    steps: [...signedInWithOthers, { do: 'server', action: 'html-api' }, { do: 'whoami', expect: { error: 'page-changed' } }, { do: 'list', expect: { error: 'page-changed' } }],
  },
];

