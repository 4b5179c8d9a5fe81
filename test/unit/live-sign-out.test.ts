// @vitest-environment happy-dom
/**
 * The live page's side of "Any site" in a background tab: what readLiveControls lists from a DOM a
 * single-page app rendered, how judgeLivePage picks its sign-out with the static finder's rules,
 * and that pressLiveControl presses only on the expected origin and only a control still there.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { accountMenus, judgeLivePage } from '../../src/connectors/sign-out/live-finder';
import { findSignOut } from '../../src/connectors/sign-out/finder';
import { pressLiveControl, readLiveControls } from '../../src/lib/live-controls';

const ORIGIN = location.origin;

function render(html: string) {
  document.body.innerHTML = html;
  return judgeLivePage(readLiveControls(), ORIGIN);
}
const picked = (html: string) => {
  const { pick } = render(html);
  return pick && { label: pick.label, id: (globalThis as { revokeLiveControls?: Element[] }).revokeLiveControls![pick.index]!.id };
};

afterEach(() => {
  document.body.innerHTML = '';
});

describe('the live page’s sign-out', () => {
  it.each([['Sign out'], ['Abmelden'], ['Déconnexion'], ['Cerrar sesión'], ['ログアウト'], ['Выйти'], ['Wyloguj się']])(
    'finds a script button reading “%s”', (label) => {
      expect(picked(`<nav><button id="home">Home</button><button type="button" id="out"><span>${label}</span></button></nav>`)).toEqual({ label, id: 'out' });
    },
  );

  it('finds an icon button by its aria-label, or by its title', () => {
    expect(picked('<button id="menu" aria-label="Menu"><svg></svg></button><button id="out" aria-label="Log out"><svg aria-hidden="true"></svg></button>')).toMatchObject({ id: 'out' });
    expect(picked('<div role="button" id="out" title="Se déconnecter"><img src="x.png" alt=""></div>')).toMatchObject({ id: 'out' });
    expect(picked('<a href="#" id="out"><img src="exit.svg" alt="Logout"></a>')).toMatchObject({ id: 'out' });
  });

  it('refuses look-alikes, disabled controls and buttons of forms that ask for input', () => {
    expect(picked(`
      <button>Sign out of all devices</button><button>Log out other sessions</button><button>Cancel</button>
      <button disabled>Log out</button><button aria-disabled="true">Log out</button>
      <form><input name="q"><button>Log out</button></form>`)).toBeNull();
  });

  it('prefers the shown sign-out to one in a closed menu, and takes the closed one when it is the only one', () => {
    expect(picked('<div hidden><button id="menu-out">Log out</button></div><button id="out">Log out</button>')).toMatchObject({ id: 'out' });
    expect(picked('<div style="display:none"><button id="menu-out">Log out</button></div>')).toMatchObject({ id: 'menu-out' });
  });

  it('takes the inner control where one wraps another (a menu item around its link)', () => {
    expect(picked('<ul role="menu"><li role="menuitem" id="item"><a id="out" href="/bye">Log out</a></li></ul>')).toMatchObject({ id: 'out' });
  });

  it('names and never picks a sign-out that goes to another site; a same-origin link is judged by its address too', () => {
    const r = render('<a href="https://sso.example.net/logout">Sign out</a>');
    expect(r.pick).toBeNull();
    expect(r.refused).toEqual(['“Sign out” goes to another site (https://sso.example.net), which Revoke never contacts']);
    expect(picked('<a id="out" href="/users/sign_out"><svg></svg></a>')).toMatchObject({ id: 'out' });
  });

  it('judges labels exactly as the static finder does', () => {
    for (const label of ['Log out', 'Esci', 'Esci dal gruppo', 'Log in', 'Sign out everywhere', '退出', '退出登录', 'Exit fullscreen']) {
      const live = render(`<button>${label}</button>`).pick !== null;
      const fixed = findSignOut(`<a href="/x">${label}</a>`, `${ORIGIN}/`).controls.length > 0;
      expect(live, label).toBe(fixed);
    }
  });

  it('tells a page that asks to sign in (a password field, or “Log in”) only when it shows no sign-out', () => {
    expect(render('<form><input type="password"></form>').signInShown).toBe(true);
    expect(render('<a href="/login">Anmelden</a>').signInShown).toBe(true);
    expect(render('<p>Loading…</p>').signInShown).toBe(false);
    expect(render('<a href="/login">Log in</a><button>Log out</button>').signInShown).toBe(false);
  });
});

describe('pressing it', () => {
  it('presses the listed control as a person would: pointer, mouse and click events reach the page’s handlers', () => {
    document.body.innerHTML = '<button id="out">Sign out</button>';
    const seen: string[] = [];
    for (const type of ['pointerdown', 'mousedown', 'mouseup', 'click']) document.getElementById('out')!.addEventListener(type, () => seen.push(type));
    const { pick } = judgeLivePage(readLiveControls(), ORIGIN);
    expect(pressLiveControl(pick!.index, ORIGIN)).toBe(true);
    expect(seen).toEqual(['pointerdown', 'mousedown', 'mouseup', 'click']);
  });

  it('presses nothing on another origin, nor a control the page took away since it was read', () => {
    document.body.innerHTML = '<button id="out">Sign out</button>';
    let clicks = 0;
    document.getElementById('out')!.addEventListener('click', () => clicks++);
    const { pick } = judgeLivePage(readLiveControls(), ORIGIN);
    expect(pressLiveControl(pick!.index, 'https://elsewhere.example')).toBe(false);
    document.body.innerHTML = '<button id="out">Sign out</button>'; // re-rendered: the listed element is gone
    expect(pressLiveControl(pick!.index, ORIGIN)).toBe(false);
    expect(clicks).toBe(0);
  });
});

describe('account menus', () => {
  const openers = (html: string) => {
    document.body.innerHTML = html;
    const live = readLiveControls();
    const elements = (globalThis as { revokeLiveControls?: Element[] }).revokeLiveControls!;
    return accountMenus(live).map((m) => elements[m.index]!.id);
  };

  it('lists closed menus that read as the account’s or show an avatar, in several languages', () => {
    expect(openers(`
      <button id="a" aria-haspopup="menu" aria-expanded="false" aria-label="Open user menu"><img src="/u/7.png" alt=""></button>
      <button id="b" aria-expanded="false"><img class="Avatar avatar-small" src="/u/7.png" alt="ann"></button>
      <div role="button" id="c" aria-haspopup="true">Benutzermenü</div>
      <details><summary id="d">Mon compte</summary><a href="/settings">Paramètres</a></details>
      <button id="e" aria-haspopup="menu" title="Profil"><svg aria-hidden="true"></svg></button>
    `)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('leaves out open menus, menus of other things, plain buttons, links with an address, hidden and sign-in ones', () => {
    expect(openers(`
      <button id="open" aria-haspopup="menu" aria-expanded="true">Account</button>
      <details open><summary id="open-details">My account</summary></details>
      <button id="bell" aria-haspopup="menu" aria-expanded="false">Notifications</button>
      <button id="lang" aria-haspopup="listbox">Language</button>
      <button id="plain">Account</button>
      <a id="link" href="/account" aria-haspopup="true">Account</a>
      <div hidden><button id="hidden" aria-haspopup="menu">User menu</button></div>
      <button id="signin" aria-haspopup="dialog">Sign in</button>
      <button id="nopopup" aria-haspopup="false">Profile</button>
    `)).toEqual([]);
  });
});
