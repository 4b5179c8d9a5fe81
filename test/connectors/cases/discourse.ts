/** Discourse's cases, run against test/connectors/servers/discourse.ts by test/connectors/harness.ts. */
import type { ConnectorCase } from './types';
import { CHROME_WINDOWS, FIREFOX_LINUX, SAFARI_IPHONE } from './user-agents';

const DEVICES = {
  chromeWindows: { userAgent: CHROME_WINDOWS, ip: '203.0.113.7' },
  firefoxLinux: { userAgent: FIREFOX_LINUX, ip: '198.51.100.23' },
  safariIphone: { userAgent: SAFARI_IPHONE, ip: '192.0.2.44' },
};

const signedInWithOthers: ConnectorCase['steps'] = [
  { do: 'server', action: 'sign-in', args: DEVICES.chromeWindows },
  { do: 'server', action: 'sign-in-elsewhere', args: DEVICES.firefoxLinux },
  { do: 'server', action: 'sign-in-elsewhere', args: DEVICES.safariIphone },
  // Another member's session on the same forum: never listed, never ended.
  { do: 'server', action: 'sign-in-elsewhere', args: { user: 'bob', ...DEVICES.firefoxLinux } },
];

export const cases: ConnectorCase[] = [
  {
    name: 'signed out: whoami is null, listing and ending say signed-out',
    server: 'discourse',
    steps: [
      { do: 'whoami', expect: null },
      { do: 'list', expect: { error: 'signed-out' } },
      { do: 'revoke', target: 'all', expect: { error: 'signed-out' } },
      { do: 'revoke', target: 'others', expect: { error: 'signed-out' } },
    ],
  },
  {
    name: 'lists every device with what Discourse says of it, and marks this browser',
    server: 'discourse',
    steps: [
      ...signedInWithOthers,
      { do: 'whoami', expect: { account: 'alice' } },
      {
        do: 'list',
        expect: {
          count: 3,
          currentCount: 1,
          match: [
            { current: true, browser: 'Google Chrome', os: 'Windows', device: 'Windows Computer', ip: '203.0.113.7', location: 'Lyon, Auvergne-Rhône-Alpes, France', createdAt: 'type:number', lastActiveAt: 'type:number' },
            { current: false, browser: 'Firefox', os: 'Linux', device: 'Linux Computer', ip: '198.51.100.23', location: 'Osaka, Japan' },
            { current: false, browser: 'Safari', os: 'iOS', device: 'iPhone', ip: '192.0.2.44', location: 'unknown' },
          ],
        },
      },
    ],
  },
  {
    name: 'ends one other session (token_id, with the CSRF token)',
    server: 'discourse',
    steps: [
      ...signedInWithOthers,
      { do: 'revoke', target: { pick: 'first-other' }, expect: 'ok' },
      { do: 'list', expect: { count: 2, currentCount: 1 } },
    ],
  },
  {
    name: 'ends all other sessions one by one and keeps this one',
    server: 'discourse',
    steps: [
      ...signedInWithOthers,
      { do: 'revoke', target: 'others', expect: 'ok' },
      { do: 'list', expect: { count: 1, currentCount: 1, match: [{ current: true, os: 'Windows' }] } },
    ],
  },
  {
    name: 'ends every session, this one too',
    server: 'discourse',
    steps: [
      ...signedInWithOthers,
      { do: 'revoke', target: 'all', expect: 'ok' },
      { do: 'whoami', expect: null },
    ],
  },
  {
    name: 'a refused CSRF token is forbidden and ends nothing',
    server: 'discourse',
    steps: [
      ...signedInWithOthers,
      { do: 'server', action: 'spoil-next-csrf' },
      { do: 'revoke', target: 'all', expect: { error: 'forbidden' } },
      { do: 'server', action: 'spoil-next-csrf' },
      { do: 'revoke', target: 'others', expect: { error: 'forbidden' } },
      { do: 'list', expect: { count: 3, currentCount: 1 } },
    ],
  },
  {
    name: 'an HTML page instead of the JSON is page-changed, never "no sessions" nor "ended"',
    server: 'discourse',
    steps: [
      ...signedInWithOthers,
      { do: 'server', action: 'html-shell-only' },
      { do: 'whoami', expect: { error: 'page-changed' } },
      { do: 'list', expect: { error: 'page-changed' } },
      { do: 'revoke', target: 'all', expect: { error: 'page-changed' } },
    ],
  },
  {
    name: 'a rotated _t cookie keeps this browser marked, under the same token id',
    server: 'discourse',
    steps: [
      ...signedInWithOthers,
      { do: 'server', action: 'age-tokens' },
      { do: 'whoami', expect: { account: 'alice' } },
      // The rotating request overwrote the row's IP with its own (this browser's, 127.0.0.1 here).
      { do: 'list', expect: { count: 3, currentCount: 1, match: [{ current: true, ip: '127.0.0.1' }, { current: false }, { current: false }] } },
      { do: 'revoke', target: 'others', expect: 'ok' },
    ],
  },
  {
    name: 'a forum under a subfolder (/forum)',
    server: 'discourse-subfolder',
    steps: [
      { do: 'whoami', expect: null },
      ...signedInWithOthers,
      { do: 'list', expect: { count: 3, currentCount: 1 } },
      { do: 'revoke', target: { pick: 'first-other' }, expect: 'ok' },
    ],
  },
];
