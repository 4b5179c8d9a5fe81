/** oidc's cases, run by test/connectors/harness.ts. */
import type { ConnectorCase } from './types';
import { THIS_BROWSER } from '../../../src/connectors/common';

// Cases run against a real oidc-provider (test/servers/oidc-provider/, adapter in
// test/connectors/servers/oidc.ts): its own session store says what is live.
export const cases: ConnectorCase[] = [
  {
    name: 'signed out: no cookie for the provider, nothing listed',
    server: 'oidc-provider',
    steps: [
      { do: 'whoami', expect: null },
      { do: 'list', expect: { count: 0 } },
    ],
  },
  {
    name: 'signed in through a relying party: the provider asks this browser to confirm a sign-out, so signed in (account unknown)',
    server: 'oidc-provider',
    steps: [
      { do: 'server', action: 'sign-in' },
      { do: 'whoami', expect: { account: 're:^127\\.0\\.0\\.1:\\d+$', sessionId: THIS_BROWSER } },
      { do: 'list', expect: { count: 1, currentCount: 1, match: [{ id: THIS_BROWSER, current: true, extra: { Provider: 're:^http://127\\.0\\.0\\.1:\\d+$' } }] } },
    ],
  },
  {
    name: 'cookies but no signed-in session (an unfinished sign-in): the provider goes on without asking, so signed out',
    server: 'oidc-provider',
    steps: [
      { do: 'server', action: 'start-sign-in' },
      { do: 'whoami', expect: null },
      { do: 'revoke', target: 'all', expect: { error: 'signed-out' } },
    ],
  },
  {
    name: 'signs out through RP-initiated logout, answering its confirmation; the provider ends the session and refuses the old login',
    server: 'oidc-provider',
    steps: [
      { do: 'server', action: 'sign-in' },
      { do: 'revoke', target: 'all', expect: { proof: 'refused', seen: 're:answered “Yes, sign me out” on .*/session/end\\)\\. .*no longer asked' } },
      { do: 'whoami', expect: null },
    ],
  },
  {
    name: "ends this browser's row the same way; never claims to end other sessions",
    server: 'oidc-provider',
    steps: [
      { do: 'server', action: 'sign-in' },
      { do: 'server', action: 'sign-in-elsewhere' },
      { do: 'revoke', target: 'others', expect: { error: 'unsupported' } },
      { do: 'revoke', target: { pick: 'current' }, expect: { proof: 'refused' } },
    ],
  },
  {
    name: "the provider refuses the confirmation (its xsrf check): failed, nothing ended, never “signed out”",
    server: 'oidc-provider',
    steps: [
      { do: 'server', action: 'sign-in' },
      { do: 'server', action: 'mode', args: { mode: 'spoil-next-xsrf' } },
      { do: 'revoke', target: 'all', expect: { error: 'forbidden' } },
    ],
  },
  {
    name: 'a provider that answers “done” but keeps the session: not confirmed, says it kept it',
    server: 'oidc-provider',
    steps: [
      { do: 'server', action: 'sign-in' },
      { do: 'server', action: 'mode', args: { mode: 'keep-sessions' } },
      { do: 'revoke', target: 'all', expect: { proof: 'accepted', seen: 're:still asked to sign out: .* kept the session' } },
    ],
  },
  {
    name: 'a provider without RP-initiated logout: unsupported (the engine clears this browser only), never guessed',
    server: 'oidc-provider',
    steps: [
      { do: 'server', action: 'sign-in' },
      { do: 'server', action: 'mode', args: { mode: 'no-logout' } },
      { do: 'whoami', expect: { error: 'unsupported' } },
      { do: 'revoke', target: 'all', expect: { error: 'unsupported' } },
    ],
  },
  {
    name: 'a sign-out on another site than the issuer: unsupported, nothing sent there',
    server: 'oidc-provider',
    steps: [
      { do: 'server', action: 'sign-in' },
      { do: 'server', action: 'mode', args: { mode: 'logout-elsewhere' } },
      { do: 'whoami', expect: { error: 'unsupported' } },
      { do: 'revoke', target: 'all', expect: { error: 'unsupported' } },
    ],
  },
  {
    name: 'no discovery document (404): page changed, not signed out',
    server: 'oidc-provider',
    steps: [
      { do: 'server', action: 'sign-in' },
      { do: 'server', action: 'mode', args: { mode: 'discovery-missing' } },
      { do: 'whoami', expect: { error: 'page-changed' } },
      { do: 'list', expect: { error: 'page-changed' } },
      { do: 'revoke', target: 'all', expect: { error: 'page-changed' } },
    ],
  },
  {
    name: 'a garbled discovery document (an HTML page): page changed, even when signed out',
    server: 'oidc-provider',
    steps: [
      { do: 'server', action: 'mode', args: { mode: 'discovery-garbled' } },
      { do: 'whoami', expect: { error: 'page-changed' } },
    ],
  },
  {
    name: 'a discovery document naming another issuer is not trusted',
    server: 'oidc-provider',
    steps: [
      { do: 'server', action: 'sign-in' },
      { do: 'server', action: 'mode', args: { mode: 'discovery-other-issuer' } },
      { do: 'whoami', expect: { error: 'page-changed' } },
      { do: 'revoke', target: 'all', expect: { error: 'page-changed' } },
    ],
  },
  {
    name: 'finds the issuer from its discovery document’s address',
    server: 'oidc-provider',
    steps: [
      { do: 'resolve', typed: '/.well-known/openid-configuration', expect: 'instance' },
      { do: 'resolve', typed: '/elsewhere', expect: { error: 'page-changed' } },
    ],
  },
];
