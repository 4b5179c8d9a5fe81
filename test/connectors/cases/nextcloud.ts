/** Nextcloud's cases, run against test/connectors/servers/nextcloud.ts by test/connectors/harness.ts. */
import type { ConnectorCase } from './types';
import { FIREFOX_LINUX, SAFARI_IPHONE } from './user-agents';

const signedInWithOthers: ConnectorCase['steps'] = [
  { do: 'server', action: 'sign-in', args: { userAgent: FIREFOX_LINUX } },
  { do: 'server', action: 'sign-in-elsewhere', args: { userAgent: SAFARI_IPHONE } },
  { do: 'server', action: 'add-app-password', args: { name: 'Nextcloud desktop on laptop' } },
];

export const cases: ConnectorCase[] = [
  {
    name: 'signed out: whoami is null, listing and ending say signed-out',
    server: 'nextcloud',
    steps: [
      { do: 'whoami', expect: null },
      { do: 'list', expect: { error: 'signed-out' } },
      { do: 'revoke', target: 'all', expect: { error: 'signed-out' } },
    ],
  },
  {
    name: 'lists browser sessions and app passwords, this browser marked',
    server: 'nextcloud',
    steps: [
      ...signedInWithOthers,
      { do: 'whoami', expect: { account: 'Alice Liddell (alice)', sessionId: 're:^\\d+$' } },
      {
        do: 'list',
        expect: {
          count: 3,
          currentCount: 1,
          match: [
            { current: true, browser: 'Firefox 133', os: 'Linux', lastActiveAt: 'type:number', extra: { 'User agent': FIREFOX_LINUX } },
            // Nextcloud cuts names past 128 characters to 120 and '…': Safari's version is cut off.
            { current: false, browser: 'absent', os: 'iOS', device: 'Phone', extra: { 'User agent': 're:Version/18\\.1 Mobile/15E1…$' } },
            { current: false, device: 'App password', browser: 'absent', extra: { Name: 'Nextcloud desktop on laptop' } },
          ],
        },
      },
    ],
  },
  {
    name: 'ends one other session',
    server: 'nextcloud',
    steps: [...signedInWithOthers, { do: 'revoke', target: { pick: 'first-other' }, expect: 'ok' }, { do: 'list', expect: { count: 2, currentCount: 1 } }],
  },
  {
    name: 'ends every session and app password, this browser last',
    server: 'nextcloud',
    steps: [...signedInWithOthers, { do: 'revoke', target: 'all', expect: 'ok' }, { do: 'whoami', expect: null }],
  },
  {
    name: 'a refused request token is forbidden, and nothing ends',
    server: 'nextcloud',
    steps: [
      ...signedInWithOthers,
      { do: 'server', action: 'refuse-request-tokens' },
      { do: 'revoke', target: { pick: 'first-other' }, expect: { error: 'forbidden' } },
      { do: 'revoke', target: 'all', expect: { error: 'forbidden' } },
    ],
  },
  {
    name: 'a security page without the list is page-changed, never "no sessions"',
    server: 'nextcloud',
    steps: [
      ...signedInWithOthers,
      { do: 'server', action: 'drop-initial-state' },
      { do: 'whoami', expect: { account: 'Alice Liddell (alice)', sessionId: 'absent' } },
      { do: 'list', expect: { error: 'page-changed' } },
      { do: 'revoke', target: 'all', expect: { error: 'page-changed' } },
    ],
  },
];
