/** WordPress's cases, against a real WordPress (test/servers/wordpress, through test/connectors/servers/wordpress.ts). */
import type { ConnectorCase } from './types';
import { THIS_BROWSER } from '../../../src/connectors/common';

const signedInWithOthers: ConnectorCase['steps'] = [
  { do: 'server', action: 'sign-in' },
  { do: 'server', action: 'sign-in-elsewhere' },
  { do: 'server', action: 'sign-in-elsewhere' },
  { do: 'server', action: 'add-app-password', args: { name: 'Phone app' } },
  { do: 'server', action: 'add-app-password', args: { name: 'Backup script', use: true } },
];

export const cases: ConnectorCase[] = [
  {
    name: 'signed out: whoami is null, listing and ending say signed-out',
    server: 'wordpress',
    steps: [
      { do: 'whoami', expect: null },
      { do: 'list', expect: { error: 'signed-out' } },
      { do: 'revoke', target: 'others', expect: { error: 'signed-out' } },
      { do: 'revoke', target: 'all', expect: { error: 'signed-out' } },
    ],
  },
  {
    name: "lists this browser, 'other sessions exist' without rows, and application passwords",
    server: 'wordpress',
    steps: [
      ...signedInWithOthers,
      { do: 'whoami', expect: { account: 'alice', sessionId: THIS_BROWSER } },
      {
        do: 'list',
        expect: {
          count: 3,
          currentCount: 1,
          unlisted: 'some',
          match: [
            { id: THIS_BROWSER, current: true, device: 'This browser' },
            { current: false, device: 'Application password “Phone app”', createdAt: 'type:number', lastActiveAt: 'absent', ip: 'absent', extra: { 'Last used': 'Never' } },
            { current: false, device: 'Application password “Backup script”', createdAt: 'type:number', lastActiveAt: 'type:number', ip: '127.0.0.1' },
          ],
        },
      },
    ],
  },
  {
    name: 'alone: no other sessions and no application passwords',
    server: 'wordpress',
    steps: [{ do: 'server', action: 'sign-in' }, { do: 'list', expect: { count: 1, currentCount: 1, unlisted: 'absent' } }],
  },
  {
    name: 'ends one application password',
    server: 'wordpress',
    steps: [...signedInWithOthers, { do: 'revoke', target: { pick: 'first-other' }, expect: 'ok' }, { do: 'list', expect: { count: 2, unlisted: 'some' } }],
  },
  {
    name: 'ends every other login and application password, and keeps this browser',
    server: 'wordpress',
    steps: [
      ...signedInWithOthers,
      { do: 'revoke', target: 'others', expect: 'ok' },
      { do: 'list', expect: { count: 1, currentCount: 1, unlisted: 'absent' } },
      { do: 'whoami', expect: { account: 'alice' } },
    ],
  },
  {
    name: 'signs out of the site everywhere, this browser last',
    server: 'wordpress',
    steps: [...signedInWithOthers, { do: 'revoke', target: 'all', expect: 'ok' }, { do: 'whoami', expect: null }],
  },
  {
    name: 'refused nonces are forbidden, and nothing ends',
    server: 'wordpress',
    steps: [
      ...signedInWithOthers,
      { do: 'server', action: 'spoil-nonces' },
      { do: 'revoke', target: 'others', expect: { error: 'forbidden' } },
      { do: 'revoke', target: 'all', expect: { error: 'forbidden' } },
      { do: 'list', expect: { error: 'forbidden' } },
    ],
  },
  {
    name: 'a profile page without its Sessions row is page-changed, never "no other sessions"',
    server: 'wordpress',
    steps: [
      ...signedInWithOthers,
      { do: 'server', action: 'drop-sessions-row' },
      { do: 'whoami', expect: { account: 'alice' } },
      { do: 'list', expect: { error: 'page-changed' } },
      { do: 'server', action: 'not-wordpress' },
      { do: 'whoami', expect: { error: 'page-changed' } },
      { do: 'revoke', target: 'all', expect: { error: 'page-changed' } },
    ],
  },
];
