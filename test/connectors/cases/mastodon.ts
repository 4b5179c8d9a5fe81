/** Mastodon's cases, run against test/connectors/servers/mastodon.ts by test/connectors/harness.ts. */
import type { ConnectorCase } from './types';
import { CHROME_WINDOWS, FIREFOX_LINUX, SAFARI_IPHONE } from './user-agents';

const signedInWithOthers: ConnectorCase['steps'] = [
  { do: 'server', action: 'sign-in', args: { userAgent: FIREFOX_LINUX, ip: '203.0.113.7' } },
  { do: 'server', action: 'sign-in-elsewhere', args: { userAgent: SAFARI_IPHONE, ip: '198.51.100.23' } },
  { do: 'server', action: 'authorize-app', args: { name: 'Ivory', website: 'https://tapbots.com/ivory/' } },
  // Someone else on the same instance: never listed, never ended.
  { do: 'server', action: 'sign-in-elsewhere', args: { user: 'bob', userAgent: CHROME_WINDOWS } },
  { do: 'server', action: 'authorize-app', args: { user: 'bob', name: 'Bob’s bot' } },
];

export const cases: ConnectorCase[] = [
  {
    name: 'signed out: whoami is null, listing and ending say signed-out',
    server: 'mastodon',
    steps: [
      { do: 'whoami', expect: null },
      { do: 'list', expect: { error: 'signed-out' } },
      { do: 'revoke', target: 'all', expect: { error: 'signed-out' } },
    ],
  },
  {
    name: 'lists browser sessions and authorized apps, this browser marked',
    server: 'mastodon',
    steps: [
      ...signedInWithOthers,
      { do: 'whoami', expect: { account: 'alice@example.social', sessionId: 'current' } },
      {
        do: 'list',
        expect: {
          count: 3,
          currentCount: 1,
          match: [
            { id: 'current', current: true, browser: 'Firefox 133', os: 'Linux', ip: '203.0.113.7', lastActiveAt: 'absent', extra: { Mastodon: 'Firefox on Linux', 'User agent': FIREFOX_LINUX } },
            { id: 're:^\\d+$', current: false, os: 'iOS', device: 'Phone', ip: '198.51.100.23', lastActiveAt: 'type:number', extra: { Mastodon: 'Safari on iOS' } },
            { id: 're:^app-\\d+$', current: false, device: 'Authorized app', extra: { Name: 'Ivory', Website: 'https://tapbots.com/ivory/', Mastodon: 're:^Last used on .* · Authorized on ' } },
          ],
        },
      },
    ],
  },
  {
    name: 'ends one other browser session',
    server: 'mastodon',
    steps: [...signedInWithOthers, { do: 'revoke', target: { pick: 'first-other' }, expect: 'ok' }, { do: 'list', expect: { count: 2, currentCount: 1 } }],
  },
  {
    name: 'ends the other sessions and revokes the apps, keeping this browser',
    server: 'mastodon',
    steps: [...signedInWithOthers, { do: 'revoke', target: 'others', expect: 'ok' }, { do: 'list', expect: { count: 1, currentCount: 1, match: [{ id: 'current' }] } }],
  },
  {
    name: 'ends everything, this browser last through the sign-out',
    server: 'mastodon',
    steps: [...signedInWithOthers, { do: 'revoke', target: 'all', expect: 'ok' }, { do: 'whoami', expect: null }],
  },
  {
    name: 'a refused authenticity token is forbidden (422), and nothing ends',
    server: 'mastodon',
    steps: [
      ...signedInWithOthers,
      { do: 'server', action: 'refuse-tokens' },
      { do: 'revoke', target: { pick: 'first-other' }, expect: { error: 'forbidden' } },
      { do: 'revoke', target: 'all', expect: { error: 'forbidden' } },
      { do: 'list', expect: { count: 3, currentCount: 1 } },
    ],
  },
  {
    name: 'a settings page without the sessions table is page-changed, never "no sessions"',
    server: 'mastodon',
    steps: [
      ...signedInWithOthers,
      { do: 'server', action: 'drop-sessions-table' },
      { do: 'whoami', expect: { account: 'alice@example.social', sessionId: 'absent' } },
      { do: 'list', expect: { error: 'page-changed' } },
      { do: 'revoke', target: 'others', expect: { error: 'page-changed' } },
    ],
  },
];
