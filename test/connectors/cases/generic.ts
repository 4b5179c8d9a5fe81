/** "Any site"'s cases, run against test/connectors/servers/generic-site.ts (a session cookie site on loopback). */
import type { ConnectorCase } from './types';
import { THIS_BROWSER } from '../../../src/connectors/common';

export const cases: ConnectorCase[] = [
  {
    name: 'signed out: no cookies, nothing to list',
    server: 'generic-site',
    steps: [
      { do: 'whoami', expect: null },
      { do: 'list', expect: { count: 0 } },
    ],
  },
  {
    name: "signed in: one pseudo-session for this browser's login",
    server: 'generic-site',
    steps: [
      { do: 'server', action: 'sign-in', args: { user: 'alice' } },
      { do: 'whoami', expect: { account: 're:^127\\.0\\.0\\.1:\\d+$', sessionId: THIS_BROWSER } },
      { do: 'list', expect: { count: 1, currentCount: 1, match: [{ id: THIS_BROWSER, current: true, device: 'This browser', extra: { Cookies: 're:\\bsid\\b' } }] } },
    ],
  },
  {
    name: "signs out through the site's logout address (GET, redirect) and clears this browser",
    server: 'generic-site',
    steps: [
      { do: 'server', action: 'account-settings', args: { logoutUrl: '/logout' } },
      { do: 'server', action: 'sign-in', args: { user: 'alice' } },
      { do: 'revoke', target: 'all', expect: 'ok' },
      { do: 'whoami', expect: null },
    ],
  },
  {
    name: 'signs out through a POST logout that checks the Origin',
    server: 'generic-site',
    steps: [
      { do: 'server', action: 'account-settings', args: { logoutUrl: '/logout', logoutMethod: 'POST' } },
      { do: 'server', action: 'sign-in', args: { user: 'alice' } },
      { do: 'revoke', target: 'all', expect: 'ok' },
      { do: 'list', expect: { count: 0 } },
    ],
  },
  {
    name: 'without a sign-out address, ends nothing on the server and says so (this browser is cleared by the engine)',
    server: 'generic-site',
    steps: [
      { do: 'server', action: 'sign-in', args: { user: 'alice' } },
      { do: 'revoke', target: 'all', expect: { error: 'unsupported' } },
      { do: 'list', expect: { count: 1 } },
    ],
  },
  {
    name: "with no address: finds a Django-style POST logout form (csrfmiddlewaretoken), skips the look-alike, proves it",
    server: 'site-django',
    steps: [
      { do: 'server', action: 'sign-in', args: { user: 'alice' } },
      { do: 'revoke', target: 'all', expect: { proof: 'refused', seen: 're:own sign-out, “Log out” \\(a form sent to /accounts/logout/ on /\\)' } },
      { do: 'whoami', expect: null },
    ],
  },
  {
    name: 'with no address: finds a Rails data-method delete link on the settings page, never the other site\'s link',
    server: 'site-rails',
    steps: [
      { do: 'server', action: 'sign-in', args: { user: 'alice' } },
      { do: 'revoke', target: 'all', expect: { proof: 'refused', seen: 're:“Abmelden” \\(a link that sends /users/sign_out a DELETE on /einstellungen\\)' } },
    ],
  },
  {
    name: 'with no address: follows a WordPress-shaped logout link with its nonce',
    server: 'site-nonce',
    steps: [
      { do: 'server', action: 'sign-in', args: { user: 'alice' } },
      { do: 'revoke', target: 'all', expect: { proof: 'refused', seen: 're:“Log Out” \\(a link to /wp-login.php on /\\)' } },
    ],
  },
  {
    name: 'the nonce-less address typed by hand is refused (403), truthfully',
    server: 'site-nonce',
    steps: [
      { do: 'server', action: 'account-settings', args: { logoutUrl: '/wp-login.php?action=logout' } },
      { do: 'server', action: 'sign-in', args: { user: 'alice' } },
      { do: 'revoke', target: 'all', expect: { error: 'forbidden' } },
      { do: 'whoami', expect: null },
    ],
  },
  {
    name: 'a real WordPress, with no address: its own “Log Out” with the nonce, and WordPress refuses the old login after',
    server: 'wordpress',
    steps: [
      { do: 'server', action: 'sign-in' },
      { do: 'whoami', expect: { account: 'type:string' } },
      { do: 'revoke', target: 'all', expect: { proof: 'refused', seen: 're:“Log Out” \\(a link to /wp-login.php' } },
      { do: 'whoami', expect: null },
    ],
  },
  {
    name: 'a real WordPress, with the nonce-less address typed: WordPress refuses it (403), reported as failed',
    server: 'wordpress',
    steps: [
      { do: 'server', action: 'account-settings', args: { logoutUrl: '/wp-login.php?action=logout' } },
      { do: 'server', action: 'sign-in' },
      { do: 'revoke', target: 'all', expect: { error: 'forbidden' } },
    ],
  },
  {
    name: 'a site that keeps sessions after its sign-out: the old login still works, reported as such',
    server: 'site-keeps',
    steps: [
      { do: 'server', action: 'sign-in', args: { user: 'alice' } },
      { do: 'revoke', target: 'all', expect: { proof: 'accepted', seen: 're:still accepts that login.*change the password' } },
      { do: 'whoami', expect: null },
    ],
  },
  {
    name: 'a site with no usable sign-out: nothing sent, says where it looked',
    server: 'site-none',
    steps: [
      { do: 'server', action: 'sign-in', args: { user: 'alice' } },
      { do: 'revoke', target: 'all', expect: { error: 'unsupported' } },
      { do: 'list', expect: { count: 1 } },
    ],
  },
  {
    // The extension presses its button in a background tab (test/e2e/any-site.test.ts); without tabs nothing is sent.
    name: 'a single-page app whose sign-out exists only in its script, with no background tab to run it: nothing sent, this browser only',
    server: 'site-spa',
    steps: [
      { do: 'server', action: 'sign-in', args: { user: 'alice' } },
      { do: 'revoke', target: 'all', expect: { error: 'unsupported' } },
      { do: 'list', expect: { count: 1 } },
    ],
  },
  {
    name: 'cannot end other sessions',
    server: 'generic-site',
    steps: [
      { do: 'server', action: 'sign-in', args: { user: 'alice' } },
      { do: 'revoke', target: 'others', expect: { error: 'unsupported' } },
    ],
  },
  {
    name: 'refuses a logout address on another site',
    server: 'generic-site',
    steps: [
      { do: 'server', action: 'account-settings', args: { logoutUrl: 'https://evil.example/logout' } },
      { do: 'server', action: 'sign-in', args: { user: 'alice' } },
      { do: 'revoke', target: 'all', expect: { error: 'permission' } },
      { do: 'list', expect: { count: 1 } },
    ],
  },
];
