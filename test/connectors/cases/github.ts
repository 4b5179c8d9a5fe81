/** GitHub's cases, run against test/connectors/servers/github.ts by test/connectors/harness.ts. */
import type { ConnectorCase } from './types';


const signedInWithOthers: ConnectorCase['steps'] = [
  { do: 'server', action: 'sign-in', args: { browser: 'Firefox', os: 'Linux', location: 'Berlin, Germany', ip: '203.0.113.7' } },
  { do: 'server', action: 'sign-in-elsewhere', args: { browser: 'Safari', os: 'iOS', location: 'Lisbon, Portugal', ip: '198.51.100.23' } },
  { do: 'server', action: 'sign-in-elsewhere', args: { browser: 'Chrome', os: 'Windows', location: 'Unknown', ip: '2001:db8::7' } },
  { do: 'server', action: 'sign-in-elsewhere', args: { user: 'bob', browser: 'Chrome', os: 'Windows' } },
];

export const cases: ConnectorCase[] = [
  {
    name: 'signed out: whoami is null, listing and ending say signed-out',
    server: 'github',
    steps: [
      { do: 'whoami', expect: null },
      { do: 'list', expect: { error: 'signed-out' } },
      { do: 'revoke', target: 'others', expect: { error: 'signed-out' } },
    ],
  },
  {
    name: 'lists web sessions (location, IP, browser, system, last accessed), this browser marked',
    server: 'github',
    steps: [
      ...signedInWithOthers,
      { do: 'whoami', expect: { account: 'alice', sessionId: 're:^\\d+$' } },
      {
        do: 'list',
        expect: {
          count: 3,
          currentCount: 1,
          match: [
            { id: 're:^\\d+$', current: true, browser: 'Firefox', os: 'Linux', location: 'Berlin, Germany', ip: '203.0.113.7', lastActiveAt: 'type:number' },
            { current: false, browser: 'Safari', os: 'iOS', location: 'Lisbon, Portugal', ip: '198.51.100.23', lastActiveAt: 'type:number' },
            { current: false, browser: 'Chrome', os: 'Windows', location: 'Unknown', ip: '2001:db8::7' },
          ],
        },
      },
    ],
  },
  {
    name: 'ends one other session through its Revoke session form',
    server: 'github',
    steps: [...signedInWithOthers, { do: 'revoke', target: { pick: 'first-other' }, expect: 'ok' }, { do: 'list', expect: { count: 2, currentCount: 1 } }],
  },
  {
    name: 'ends the other sessions one by one and keeps this browser',
    server: 'github',
    steps: [...signedInWithOthers, { do: 'revoke', target: 'others', expect: 'ok' }, { do: 'list', expect: { count: 1, currentCount: 1 } }],
  },
  {
    name: 'ends everything, this browser through GitHub\'s sign-out form',
    server: 'github',
    steps: [...signedInWithOthers, { do: 'revoke', target: 'all', expect: 'ok' }, { do: 'whoami', expect: null }],
  },
  {
    name: 'sudo mode: GitHub asks for the password first, which is reauth, never success, and nothing ends',
    server: 'github',
    steps: [
      ...signedInWithOthers,
      { do: 'server', action: 'require-sudo' },
      { do: 'revoke', target: { pick: 'first-other' }, expect: { error: 'reauth' } },
      { do: 'revoke', target: 'others', expect: { error: 'reauth' } },
      { do: 'list', expect: { count: 3, currentCount: 1 } },
    ],
  },
  {
    name: 'a refused authenticity token is forbidden (422), and nothing ends',
    server: 'github',
    steps: [
      ...signedInWithOthers,
      { do: 'server', action: 'refuse-tokens' },
      { do: 'revoke', target: { pick: 'first-other' }, expect: { error: 'forbidden' } },
      { do: 'list', expect: { count: 3, currentCount: 1 } },
    ],
  },
  {
    name: 'a sessions page without the web sessions list is page-changed, never "no sessions"',
    server: 'github',
    steps: [
      ...signedInWithOthers,
      { do: 'server', action: 'drop-session-list' },
      { do: 'list', expect: { error: 'page-changed' } },
      { do: 'revoke', target: 'others', expect: { error: 'page-changed' } },
    ],
  },
  {
    name: 'a session row without its details link is page-changed',
    server: 'github',
    steps: [
      ...signedInWithOthers,
      { do: 'server', action: 'drop-session-links' },
      { do: 'list', expect: { error: 'page-changed' } },
    ],
  },
];
