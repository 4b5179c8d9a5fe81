/**
 * Matrix's cases, run against test/connectors/servers/matrix.ts by test/connectors/harness.ts. The case
 * user is alice; 'sign-in' uses her right password unless a step gives another.
 */
import type { ConnectorCase } from './types';

const WRONG = 'not-alices-password';

const withOthers: ConnectorCase['steps'] = [
  { do: 'sign-in', expect: 'ok' },
  { do: 'server', action: 'sign-in-elsewhere', args: { displayName: 'app.element.io: Firefox on Linux', ip: '198.51.100.23' } },
  { do: 'server', action: 'sign-in-elsewhere', args: { displayName: 'Element X iOS', ip: '192.0.2.44' } },
  // Another user of the same homeserver: never listed, never ended.
  { do: 'server', action: 'sign-in-elsewhere', args: { user: 'bob', displayName: "Bob's Element" } },
];

export const cases: ConnectorCase[] = [
  {
    name: 'not signed in: whoami is null, listing and ending say signed-out',
    server: 'matrix',
    steps: [
      { do: 'whoami', expect: null },
      { do: 'list', expect: { error: 'signed-out' } },
      { do: 'revoke', target: 'all', expect: { error: 'signed-out' } },
    ],
  },
  {
    name: 'signs in as its own device; a wrong password is refused and signs nothing in',
    server: 'matrix',
    steps: [
      { do: 'sign-in', password: WRONG, expect: { error: 'forbidden' } },
      { do: 'whoami', expect: null },
      { do: 'sign-in', expect: 'ok' },
      { do: 'whoami', expect: { account: 're:^@alice:', sessionId: 'type:string' } },
      { do: 'list', expect: { count: 1, currentCount: 1, match: [{ current: true, device: 'Revoke (Test)', ip: '127.0.0.1', lastActiveAt: 'type:number' }] } },
      // Signing in again reuses the device (and invalidates its old token) rather than adding one.
      { do: 'sign-in', expect: 'ok' },
      { do: 'list', expect: { count: 1, currentCount: 1 } },
    ],
  },
  {
    name: 'lists devices with last seen IP and time, Revoke’s own marked',
    server: 'matrix',
    steps: [
      ...withOthers,
      {
        do: 'list',
        expect: {
          count: 3,
          currentCount: 1,
          match: [
            { current: true, device: 'Revoke (Test)' },
            { current: false, device: 'app.element.io: Firefox on Linux', ip: '198.51.100.23', lastActiveAt: 'type:number', extra: { 'Device ID': 'type:string' } },
            { current: false, device: 'Element X iOS', ip: '192.0.2.44' },
          ],
        },
      },
    ],
  },
  {
    name: 'ends one other device with the password (user-interactive auth)',
    server: 'matrix',
    steps: [...withOthers, { do: 'revoke', target: { pick: 'first-other' }, password: 'alice-matrix-password', expect: 'ok' }, { do: 'list', expect: { count: 2, currentCount: 1 } }],
  },
  {
    name: 'ends all other devices in one request and keeps Revoke’s',
    server: 'matrix',
    steps: [...withOthers, { do: 'revoke', target: 'others', password: 'alice-matrix-password', expect: 'ok' }, { do: 'list', expect: { count: 1, currentCount: 1 } }],
  },
  {
    name: 'without the password, or with a wrong one, nothing ends',
    server: 'matrix',
    steps: [
      ...withOthers,
      { do: 'revoke', target: { pick: 'first-other' }, expect: { error: 'reauth' } },
      { do: 'revoke', target: { pick: 'first-other' }, password: WRONG, expect: { error: 'forbidden' } },
      { do: 'revoke', target: 'others', password: WRONG, expect: { error: 'forbidden' } },
      // Bob's password is a real one, but not this account's.
      { do: 'revoke', target: 'others', password: 'bob-matrix-password', expect: { error: 'forbidden' } },
      { do: 'list', expect: { count: 3 } },
    ],
  },
  {
    name: 'sign out here ends Revoke’s own device only (no password), and its token is refused after',
    server: 'matrix',
    steps: [...withOthers, { do: 'revoke', target: { pick: 'current' }, expect: 'ok' }, { do: 'whoami', expect: null }, { do: 'list', expect: { error: 'signed-out' } }],
  },
  {
    name: 'ending all is /logout/all: every device, Element’s too',
    server: 'matrix',
    steps: [...withOthers, { do: 'revoke', target: 'all', expect: 'ok' }, { do: 'whoami', expect: null }],
  },
  {
    name: 'a soft logout (expired token) reads as signed out, not as an error',
    server: 'matrix',
    steps: [
      ...withOthers,
      { do: 'server', action: 'expire-tokens' },
      { do: 'whoami', expect: null },
      { do: 'list', expect: { error: 'signed-out' } },
      { do: 'sign-in', expect: 'ok' },
      { do: 'whoami', expect: { account: 're:^@alice:' } },
    ],
  },
  {
    name: 'a changed answer is page-changed, never "no devices"',
    server: 'matrix',
    steps: [
      ...withOthers,
      { do: 'server', action: 'mode', args: { mode: 'devices-not-a-list' } },
      { do: 'list', expect: { error: 'page-changed' } },
      { do: 'revoke', target: 'others', password: 'alice-matrix-password', expect: { error: 'page-changed' } },
      { do: 'server', action: 'mode', args: { mode: 'html' } },
      { do: 'whoami', expect: { error: 'page-changed' } },
      { do: 'resolve', typed: '', expect: { error: 'page-changed' } },
    ],
  },
  {
    name: 'a homeserver without password sign-in is said to be so',
    server: 'matrix',
    steps: [{ do: 'server', action: 'mode', args: { mode: 'sso-only' } }, { do: 'sign-in', expect: { error: 'unsupported' } }, { do: 'whoami', expect: null }],
  },
  {
    name: 'finds the homeserver at the address typed',
    server: 'matrix',
    steps: [{ do: 'resolve', typed: '/', expect: 'instance' }, { do: 'resolve', typed: '/not-matrix', expect: { error: 'page-changed' } }],
  },
];
