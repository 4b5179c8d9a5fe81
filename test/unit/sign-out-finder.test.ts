import { describe, expect, it } from 'vitest';
import { findSignOut } from '../../src/connectors/sign-out/finder';
import { scanHtml } from '../../src/lib/html-scan';

const PAGE = 'https://site.example/account/';
const labels = (html: string) => findSignOut(html, PAGE).controls.map((c) => c.label);

describe('sign-out finder', () => {
  it.each([
    ['Log out'], ['Sign out'], ['Logout'], ['Abmelden'], ['Déconnexion'], ['Cerrar sesión'], ['Esci'], ['Uitloggen'], ['退出'],
    ['ログアウト'], ['Wyloguj się'], ['Выйти'], ['로그아웃'], ['  SIGN  OUT → '],
  ])('reads “%s” as a sign-out', (label) => {
    expect(labels(`<a href="/x">${label}</a>`)).toEqual([label.replace(/\s+/g, ' ').trim()]);
  });

  it.each([
    ['Log out of all other devices'], ['Sign out everywhere'], ['Andere Geräte abmelden'], ['Déconnecter les autres appareils'],
    ['Cancel'], ['Log in'], ['Sign up'], ['Exit fullscreen'], ['Esci dal gruppo di discussione'],
  ])('does not read “%s” as this browser’s sign-out', (label) => {
    expect(labels(`<a href="/x">${label}</a>`)).toEqual([]);
  });

  it('finds a link by its address when it has only an icon, and carries its nonce', () => {
    const [c] = findSignOut('<a href="/wp-login.php?action=logout&amp;_wpnonce=abc123"><svg aria-hidden="true"></svg></a>', PAGE).controls;
    expect(c).toMatchObject({ how: 'link', method: 'GET', url: 'https://site.example/wp-login.php?action=logout&_wpnonce=abc123' });
  });

  it('sends a POST form with its hidden fields and the submit button pressed, not forms that ask for input', () => {
    const { controls } = findSignOut(`
      <form action="/search"><input name="q"><button>Sign out</button></form>
      <form method="POST" action="/accounts/logout/"><input type="hidden" name="csrfmiddlewaretoken" value="tok"><button name="go" value="1">Log out</button></form>`, PAGE);
    expect(controls).toEqual([{ how: 'form', method: 'POST', url: 'https://site.example/accounts/logout/', fields: { csrfmiddlewaretoken: 'tok', go: '1' }, label: 'Log out' }]);
  });

  it('gives a button outside its form to the form its `form` attribute names (oidc-provider’s logout confirmation)', () => {
    // oidc-provider 9's default logoutSource (lib/helpers/defaults.js): the buttons follow the form they submit.
    const { controls, scriptOnly } = findSignOut(`<h1>Do you want to sign-out from op.example?</h1>
      <form id="op.logoutForm" method="post" action="https://site.example/session/end/confirm"><input type="hidden" name="xsrf" value="x5"/></form>
      <button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
      <button type="submit" form="op.logoutForm">No, stay signed in</button>
      <button type="submit" form="elsewhere">Log out</button>`, PAGE);
    expect(controls).toEqual([{ how: 'form', method: 'POST', url: 'https://site.example/session/end/confirm', fields: { xsrf: 'x5', logout: 'yes' }, label: 'Yes, sign me out' }]);
    // A button naming a form that is not there submits nothing: only script could act on it.
    expect(scriptOnly).toBe(true);
  });

  it('turns a Rails data-method link into the form rails-ujs sends, with the page’s CSRF meta', () => {
    const { controls } = findSignOut(`<meta name="csrf-param" content="authenticity_token"><meta name="csrf-token" content="T0K">
      <a data-method="delete" rel="nofollow" href="/users/sign_out">Abmelden</a>`, PAGE);
    expect(controls).toEqual([{ how: 'method-link', method: 'POST', url: 'https://site.example/users/sign_out', fields: { _method: 'delete', authenticity_token: 'T0K' }, label: 'Abmelden' }]);
  });

  it('refuses controls on other sites (and other schemes), and never returns them', () => {
    const f = findSignOut(`<a href="https://sso.other.example/logout">Log out</a><a href="http://site.example/logout">Log out</a>
      <form method="post" action="//evil.example/logout"><button>Sign out</button></form>`, PAGE);
    expect(f.controls).toEqual([]);
    expect(f.refused).toHaveLength(3);
    expect(f.refused[0]).toMatch(/another site \(https:\/\/sso\.other\.example\)/);
  });

  it('ignores hostile and hidden markup: scripts, comments, templates, javascript: links', () => {
    const f = findSignOut(`<script>document.write('<a href="/logout">Log out</a>')</script><!-- <a href="/logout">Log out</a> -->
      <template><a href="/logout">Log out</a></template><a href="javascript:logout()">Log out</a><a href="#">Sign out</a>`, PAGE);
    expect(f.controls).toEqual([]);
    expect(f.scriptOnly).toBe(true);
  });

  it('notes a button only script can act on, and offers account pages to look at next', () => {
    const f = findSignOut('<a href="/settings">Einstellungen</a><a href="https://other.example/account">Account</a><button type="button">Sign out</button>', 'https://site.example/');
    expect(f).toMatchObject({ controls: [], scriptOnly: true, accountPages: ['https://site.example/settings'] });
  });

  it('prefers a labelled control over one found by address alone, and lists the same request once', () => {
    expect(labels('<a href="/logout?x=1">Help</a><a href="/bye">Log out</a><a href="/bye">Log out</a>')).toEqual(['Log out', 'Help']);
  });

  it('scans a huge or broken page in bounded time', () => {
    const start = Date.now();
    findSignOut(`${'<a href="/x" title="'.repeat(20_000)}${'<div>'.repeat(100_000)}<a href="/logout">Log out</a>`, PAGE);
    expect(Date.now() - start).toBeLessThan(3000);
    expect([...scanHtml('<a href=x>1 &amp; 2 &#x41; &#66;</a><br/>')]).toEqual([
      { type: 'start', name: 'a', attrs: { href: 'x' }, selfClosing: false }, { type: 'text', text: '1 & 2 A B' }, { type: 'end', name: 'a' },
      { type: 'start', name: 'br', attrs: {}, selfClosing: true },
    ]);
  });
});
