/** GitLab's cases, run against test/connectors/servers/gitlab.ts by test/connectors/harness.ts. */
import type { ConnectorCase } from './types';
import { CHROME_WINDOWS, FIREFOX_LINUX, SAFARI_IPHONE } from './user-agents';

const signedInWithOthers: ConnectorCase['steps'] = [
  { do: 'server', action: 'sign-in', args: { userAgent: FIREFOX_LINUX, ip: '203.0.113.7' } },
  { do: 'server', action: 'sign-in-elsewhere', args: { userAgent: SAFARI_IPHONE, ip: '198.51.100.23' } },
  { do: 'server', action: 'sign-in-elsewhere', args: { userAgent: CHROME_WINDOWS, ip: '192.0.2.44' } },
  { do: 'server', action: 'sign-in-elsewhere', args: { user: 'bob', userAgent: CHROME_WINDOWS } },
];

export const cases: ConnectorCase[] = [
  {
    name: 'signed out: whoami is null, listing and ending say signed-out',
    server: 'gitlab',
    steps: [
      { do: 'whoami', expect: null },
      { do: 'list', expect: { error: 'signed-out' } },
      { do: 'revoke', target: 'others', expect: { error: 'signed-out' } },
    ],
  },
  {
    name: 'lists active sessions, this browser marked (it has no Revoke link there)',
    server: 'gitlab',
    steps: [
      ...signedInWithOthers,
      { do: 'whoami', expect: { account: 'alice', sessionId: 'current' } },
      {
        do: 'list',
        expect: {
          count: 3,
          currentCount: 1,
          match: [
            { id: 'current', current: true, browser: 'Firefox', os: 'GNU/Linux', device: 'Desktop', ip: '203.0.113.7', extra: { 'Last accessed': 'absent', 'Signed in': 're:^Signed in on ' } },
            { id: 're:^2::[0-9a-f]{64}$', current: false, browser: 'Mobile Safari', os: 'iOS', device: 'Smartphone', ip: '198.51.100.23', extra: { 'Last accessed': 're:^Last accessed on ' } },
            { id: 're:^2::[0-9a-f]{64}$', current: false, browser: 'Chrome', os: 'Windows', ip: '192.0.2.44' },
          ],
        },
      },
    ],
  },
  {
    name: 'ends one other session by its private id',
    server: 'gitlab',
    steps: [...signedInWithOthers, { do: 'revoke', target: { pick: 'first-other' }, expect: 'ok' }, { do: 'list', expect: { count: 2, currentCount: 1 } }],
  },
  {
    name: 'ends the other sessions one by one and keeps this browser',
    server: 'gitlab',
    steps: [...signedInWithOthers, { do: 'revoke', target: 'others', expect: 'ok' }, { do: 'list', expect: { count: 1, currentCount: 1 } }],
  },
  {
    name: 'ends everything, this browser through the sign-out',
    server: 'gitlab',
    steps: [...signedInWithOthers, { do: 'revoke', target: 'all', expect: 'ok' }, { do: 'whoami', expect: null }],
  },
  {
    name: 'a refused authenticity token is forbidden (422), and nothing ends',
    server: 'gitlab',
    steps: [
      ...signedInWithOthers,
      { do: 'server', action: 'refuse-tokens' },
      { do: 'revoke', target: { pick: 'first-other' }, expect: { error: 'forbidden' } },
      { do: 'revoke', target: 'others', expect: { error: 'forbidden' } },
      { do: 'list', expect: { count: 3, currentCount: 1 } },
    ],
  },
  {
    name: 'a sessions page without the list is page-changed, never "no sessions"',
    server: 'gitlab',
    steps: [
      ...signedInWithOthers,
      { do: 'server', action: 'drop-session-list' },
      { do: 'whoami', expect: { account: 'alice' } },
      { do: 'list', expect: { error: 'page-changed' } },
      { do: 'revoke', target: 'all', expect: { error: 'page-changed' } },
    ],
  },
];
