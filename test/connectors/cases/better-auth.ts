/** better-auth's cases, run against a real better-auth server by test/connectors/harness.ts. */
import type { ConnectorCase } from './types';
import { CHROME_WINDOWS, FIREFOX_LINUX, SAFARI_IPHONE } from './user-agents';

const DEVICES = {
  chromeWindows: { userAgent: CHROME_WINDOWS, ip: '203.0.113.7' },
  firefoxLinux: { userAgent: FIREFOX_LINUX, ip: '198.51.100.23' },
  safariIphone: { userAgent: SAFARI_IPHONE, ip: '192.0.2.44' },
  curl: { userAgent: 'curl/8.5.0', ip: '2001:db8::5' },
};

const signedInWithOthers: ConnectorCase['steps'] = [
  { do: 'server', action: 'sign-in', args: DEVICES.chromeWindows },
  { do: 'server', action: 'sign-in-elsewhere', args: DEVICES.firefoxLinux },
  { do: 'server', action: 'sign-in-elsewhere', args: DEVICES.safariIphone },
];

export const cases: ConnectorCase[] = [
  {
    name: "finds the API from the app's address, signed in or not",
    server: 'better-auth',
    steps: [
      { do: 'resolve', typed: '/', expect: 'instance' },
      { do: 'resolve', typed: '/api/auth/', expect: 'instance' },
      { do: 'resolve', typed: '/nothing-here', expect: 'instance' },
      { do: 'server', action: 'sign-in', args: DEVICES.chromeWindows },
      { do: 'resolve', typed: '', expect: 'instance' },
      { do: 'resolve', typed: '/app/settings', expect: 'instance' },
      { do: 'whoami', expect: { account: 'alice@revoke.test', sessionId: 'type:string' } },
    ],
  },
  {
    name: 'signed out: whoami is null, listing and ending say signed-out',
    server: 'better-auth',
    steps: [
      { do: 'whoami', expect: null },
      { do: 'list', expect: { error: 'signed-out' } },
      { do: 'revoke', target: 'others', expect: { error: 'signed-out' } },
    ],
  },
  {
    name: 'lists every device and marks this browser',
    server: 'better-auth',
    steps: [
      ...signedInWithOthers,
      { do: 'server', action: 'sign-in-elsewhere', args: DEVICES.curl },
      { do: 'whoami', expect: { account: 'alice@revoke.test', sessionId: 'type:string' } },
      {
        do: 'list',
        expect: {
          count: 4,
          currentCount: 1,
          match: [
            { current: true, browser: 're:^Chrome \\d+$', os: 'Windows', device: 'Computer', ip: '203.0.113.7', createdAt: 'type:number', lastActiveAt: 'type:number', expiresAt: 'type:number' },
            { current: false, browser: 're:^Firefox 133$', os: 'Linux', ip: '198.51.100.23', extra: { 'User agent': 're:Firefox/133' } },
            { current: false, browser: 're:^Safari 18$', os: 'iOS', device: 'Phone', ip: '192.0.2.44' },
            // better-auth keeps IPv6 addresses to their /64 (advanced.ipAddress.ipv6Subnet), fully written out.
            { current: false, browser: 'curl 8', os: 'absent', ip: 're:^2001:0db8:0000:0000:' },
          ],
        },
      },
    ],
  },
  {
    name: 'ends one other session',
    server: 'better-auth',
    steps: [
      ...signedInWithOthers,
      { do: 'revoke', target: { pick: 'first-other' }, expect: 'ok' },
      { do: 'list', expect: { count: 2, currentCount: 1 } },
    ],
  },
  {
    name: 'ends all other sessions and keeps this one',
    server: 'better-auth',
    steps: [
      ...signedInWithOthers,
      { do: 'revoke', target: 'others', expect: 'ok' },
      { do: 'list', expect: { count: 1, currentCount: 1, match: [{ current: true, os: 'Windows' }] } },
    ],
  },
  {
    name: 'ends every session, this one too',
    server: 'better-auth',
    steps: [
      ...signedInWithOthers,
      { do: 'revoke', target: 'all', expect: 'ok' },
      { do: 'whoami', expect: null },
    ],
  },
  {
    name: "session older than a day: this browser's session alone, the others hidden; ending them still works",
    server: 'better-auth',
    steps: [
      ...signedInWithOthers,
      { do: 'server', action: 'make-sessions-stale' },
      { do: 'whoami', expect: { account: 'alice@revoke.test', sessionId: 'type:string' } },
      {
        do: 'list',
        expect: {
          count: 1, currentCount: 1, hidden: { key: 'connErr_baFresh' },
          match: [{ current: true, browser: 're:^Chrome \\d+$', os: 'Windows', ip: '203.0.113.7', createdAt: 'type:number' }],
        },
      },
      { do: 'revoke', target: 'others', expect: 'ok' },
      { do: 'revoke', target: { pick: 'current' }, expect: 'ok' },
      { do: 'whoami', expect: null },
    ],
  },
];
