/** Keycloak's cases, run against test/connectors/servers/keycloak.ts by test/connectors/harness.ts. */
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
    name: 'signed out: the realm answers login_required; whoami is null, listing and ending say signed-out',
    server: 'keycloak',
    steps: [
      { do: 'server', action: 'sign-in-elsewhere', args: { userAgent: CHROME_WINDOWS } },
      { do: 'whoami', expect: null },
      { do: 'list', expect: { error: 'signed-out' } },
      { do: 'revoke', target: 'others', expect: { error: 'signed-out' } },
    ],
  },
  {
    name: 'the realm found from a console address typed, confirmed by its issuer',
    server: 'keycloak',
    steps: [
      { do: 'resolve', typed: '/realms/acme/account/', expect: 'instance' },
      { do: 'resolve', typed: '/admin/master/console/', expect: { error: 'page-changed' } },
    ],
  },
  {
    name: 'lists sessions with devices, browsers, IPs and applications; this browser marked',
    server: 'keycloak',
    steps: [
      ...signedInWithOthers,
      { do: 'whoami', expect: { account: 'alice (alice@acme.test)' } },
      {
        do: 'list',
        expect: {
          count: 3,
          currentCount: 1,
          match: [
            { current: true, browser: 'Firefox 133.0', os: 'Linux', device: 'absent', ip: '203.0.113.7', createdAt: 'type:number', lastActiveAt: 'type:number', expiresAt: 'type:number', extra: { Applications: 'account-console' } },
            { current: false, browser: 'Mobile Safari 18.1', os: 'iOS 18.1', device: 'iPhone', ip: '198.51.100.23', extra: { Applications: 'account-console, grafana' } },
            { current: false, browser: 'Chrome 131.0', os: 'Windows 10', ip: '192.0.2.44' },
          ],
        },
      },
    ],
  },
  {
    name: 'ends one other session',
    server: 'keycloak',
    steps: [...signedInWithOthers, { do: 'revoke', target: { pick: 'first-other' }, expect: 'ok' }, { do: 'list', expect: { count: 2, currentCount: 1 } }],
  },
  {
    name: 'ends the others and keeps this browser',
    server: 'keycloak',
    steps: [...signedInWithOthers, { do: 'revoke', target: 'others', expect: 'ok' }, { do: 'list', expect: { count: 1, currentCount: 1 } }],
  },
  {
    name: 'ends every session, this browser too',
    server: 'keycloak',
    steps: [...signedInWithOthers, { do: 'revoke', target: 'all', expect: 'ok' }, { do: 'whoami', expect: null }],
  },
  {
    name: 'a token expired on arrival is asked for again, once',
    server: 'keycloak',
    steps: [...signedInWithOthers, { do: 'server', action: 'expire-next-token' }, { do: 'list', expect: { count: 3, currentCount: 1 } }, { do: 'server', action: 'expire-next-token' }, { do: 'revoke', target: 'others', expect: 'ok' }],
  },
  {
    name: 'tokens refused by the account API are forbidden, and nothing ends',
    server: 'keycloak',
    steps: [
      ...signedInWithOthers,
      { do: 'server', action: 'refuse-tokens' },
      { do: 'list', expect: { error: 'forbidden' } },
      { do: 'revoke', target: 'others', expect: { error: 'forbidden' } },
    ],
  },
  {
    name: 'without the manage-account role ending is forbidden; listing still works',
    server: 'keycloak',
    steps: [
      ...signedInWithOthers,
      { do: 'server', action: 'no-manage-account' },
      { do: 'list', expect: { count: 3, currentCount: 1 } },
      { do: 'revoke', target: { pick: 'first-other' }, expect: { error: 'forbidden' } },
      { do: 'revoke', target: 'all', expect: { error: 'forbidden' } },
    ],
  },
  {
    name: 'a login page instead of the prompt=none answer is page-changed, never "signed out"',
    server: 'keycloak',
    steps: [{ do: 'server', action: 'ignore-prompt-none' }, { do: 'whoami', expect: { error: 'page-changed' } }, { do: 'list', expect: { error: 'page-changed' } }],
  },
  {
    name: 'the console page where the session list belongs is page-changed, never "no sessions"',
    server: 'keycloak',
    steps: [...signedInWithOthers, { do: 'server', action: 'console-only' }, { do: 'list', expect: { error: 'page-changed' } }, { do: 'revoke', target: 'others', expect: { error: 'page-changed' } }],
  },
];

