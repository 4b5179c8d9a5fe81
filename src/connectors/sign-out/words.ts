/**
 * The words of sign-out controls and of account pages, in the languages people commonly browse in.
 * Labels are compared after `normalLabel`: NFKC, lower case, punctuation and icons gone.
 */

/** Read as "sign out" wherever they stand as whole words in a short label. */
export const SIGN_OUT_PHRASES = [
  'log out', 'logout', 'log off', 'logoff', 'sign out', 'signout', 'sign off', 'sign me out', 'log me out',
  'abmelden', 'ausloggen', 'déconnexion', 'deconnexion', 'se déconnecter', 'se deconnecter',
  'cerrar sesión', 'cerrar sesion', 'desconectar', 'disconnetti', 'uitloggen', 'afmelden',
  'terminar sessão', 'encerrar sessão', 'wyloguj', 'logga ut', 'log ud', 'logg ut', 'kirjaudu ulos',
  'odhlásit', 'odhlásiť', 'kijelentkezés', 'deconectare', 'odjava', 'αποσύνδεση', 'oturumu kapat',
  'çıkış yap', 'đăng xuất', 'تسجيل الخروج', 'התנתק', 'התנתקות',
];

/** Scripts without spaces between words: found anywhere in a short label. */
export const SIGN_OUT_CJK = ['ログアウト', 'サインアウト', '退出登录', '退出登錄', '注销', '登出', '로그아웃'];

/** Too common on their own ("exit", "leave"): a sign-out only when they are the whole label. */
export const SIGN_OUT_WHOLE_LABEL = ['esci', 'sair', 'salir', 'keluar', 'выйти', 'выход', 'вийти', 'çıkış', '退出', 'exit'];

/**
 * Words that turn a sign-out into something else: "log out of all other devices", "sign out
 * everywhere", "cancel". Those end other sessions or nothing; they are never this browser's sign-out.
 */
export const LOOK_ALIKE_WORDS = [
  'other', 'others', 'all', 'every', 'everywhere', 'devices', 'device', 'sessions', 'cancel', 'stay', "don't",
  'andere', 'anderen', 'alle', 'allen', 'geräten', 'überall', 'abbrechen',
  'autres', 'tous', 'toutes', 'appareils', 'partout', 'annuler',
  'otros', 'otras', 'todos', 'todas', 'dispositivos', 'cancelar',
  'altri', 'tutti', 'dispositivi', 'annulla', 'apparaten', 'overal', 'annuleren',
  'outros', 'outras', 'inne', 'innych', 'wszystkich', 'wszędzie', 'остальных', 'всех', 'других', 'отмена',
];
export const LOOK_ALIKE_CJK = ['其他', '所有', '全部', '他の', 'すべて', '全て', '다른', '모든'];

/** Path pieces of sign-out addresses (/logout, /users/sign_out, wp-login.php?action=logout). */
export const SIGN_OUT_PATH = /(?:^|[/_.\-=&?])(?:log[-_]?out|log[-_]?off|sign[-_]?out|sign[-_]?off|abmelden|ausloggen|deconnexion|uitloggen|wyloguj)(?:$|[/_.\-=&?#])/i;
export const LOOK_ALIKE_PATH = /(?:^|[/_.\-=&?])(?:others?|all|everywhere|devices?|sessions)(?:$|[/_.\-=&?#])/i;

/** Links to the person's account or settings page, where a sign-out sits when the start page has none. */
export const ACCOUNT_PHRASES = [
  'account', 'my account', 'settings', 'profile', 'preferences', 'your account',
  'konto', 'mein konto', 'einstellungen', 'profil', 'compte', 'mon compte', 'paramètres', 'préférences',
  'cuenta', 'mi cuenta', 'configuración', 'ajustes', 'perfil', 'il mio account', 'impostazioni', 'profilo',
  'mijn account', 'instellingen', 'minha conta', 'conta', 'configurações', 'ustawienia', 'moje konto',
  'inställningar', 'mitt konto', 'аккаунт', 'профиль', 'настройки',
];
export const ACCOUNT_CJK = ['账户', '帐户', '账号', '設定', '设置', '个人资料', 'アカウント', '계정', '설정'];
export const ACCOUNT_PATH = /(?:^|\/)(?:account|accounts|settings|profile|preferences|me|user|users\/edit|profile\.php)(?:$|[/?#.])/i;

/**
 * What a page shows someone it does not know: "log in", "sign in". Used only to read a live page
 * after the old login was put back (live-sign-out.ts); never a control Revoke activates.
 */
export const SIGN_IN_PHRASES = [
  'log in', 'login', 'sign in', 'signin', 'anmelden', 'einloggen', 'connexion', 'se connecter', 'iniciar sesión',
  'iniciar sesion', 'acceder', 'accedi', 'inloggen', 'entrar', 'zaloguj', 'logga in', 'log ind', 'logg inn',
  'kirjaudu sisään', 'войти', 'вход', 'giriş yap', 'đăng nhập',
];
export const SIGN_IN_CJK = ['ログイン', 'サインイン', '登录', '登錄', '로그인'];

/** NFKC, lower case, every run of punctuation, symbols or space one space. */
export function normalLabel(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}\p{M}']+/gu, ' ').trim();
}

function hasPhrase(label: string, phrases: readonly string[]): boolean {
  const padded = ` ${label} `;
  return phrases.some((p) => padded.includes(` ${p} `));
}

const MAX_LABEL_WORDS = 6;

/** Does this (normalised) label read as signing this browser out, and nothing else? */
export function readsAsSignOut(label: string): boolean {
  if (label === '' || label.split(' ').length > MAX_LABEL_WORDS) return false;
  if (hasPhrase(label, LOOK_ALIKE_WORDS) || LOOK_ALIKE_CJK.some((w) => label.includes(w))) return false;
  return hasPhrase(label, SIGN_OUT_PHRASES) || SIGN_OUT_CJK.some((w) => label.includes(w)) || SIGN_OUT_WHOLE_LABEL.includes(label);
}

/** Does this label read as something else than a sign-out, such as a look-alike ("log out other devices")? */
export function readsAsLookAlike(label: string): boolean {
  return hasPhrase(label, LOOK_ALIKE_WORDS) || LOOK_ALIKE_CJK.some((w) => label.includes(w));
}

/** Does this (normalised) label read as signing in ("Log in", "Anmelden")? */
export function readsAsSignIn(label: string): boolean {
  if (label === '' || label.split(' ').length > MAX_LABEL_WORDS || readsAsSignOut(label)) return false;
  return hasPhrase(label, SIGN_IN_PHRASES) || SIGN_IN_CJK.some((w) => label.includes(w));
}

export function readsAsAccount(label: string): boolean {
  if (label === '' || label.split(' ').length > 4) return false;
  return ACCOUNT_PHRASES.includes(label) || hasPhrase(label, ['account', 'settings', 'konto', 'einstellungen']) || ACCOUNT_CJK.some((w) => label.includes(w));
}

/**
 * Words in the label of a button that opens the person's account menu (an avatar's "Account",
 * "User menu", "Benutzermenü", "Profil"). Judged only on controls that say they open a menu
 * (aria-haspopup, aria-expanded, a <details> summary): opening one is harmless, so the live finder
 * may press it to look for a sign-out rendered only once the menu is open.
 */
export const ACCOUNT_MENU_WORDS = [
  'account', 'accounts', 'user', 'profile', 'avatar', 'konto', 'benutzer', 'benutzermenü', 'kontomenü', 'profil',
  'compte', 'utilisateur', 'cuenta', 'usuario', 'utente', 'profilo', 'gebruiker', 'gebruikersmenu', 'conta', 'usuário',
  'perfil', 'użytkownik', 'użytkownika', 'användare', 'пользователь', 'профиль', 'аккаунт',
];
export const ACCOUNT_MENU_CJK = [...ACCOUNT_CJK, 'ユーザー', 'プロフィール', '用户', '用戶', '사용자', '프로필'];

/** Does this (normalised) label read as the account's menu, and not as a sign-in or sign-out itself? */
export function readsAsAccountMenu(label: string): boolean {
  if (label === '' || label.split(' ').length > MAX_LABEL_WORDS || readsAsSignOut(label) || readsAsSignIn(label)) return false;
  return readsAsAccount(label) || hasPhrase(label, ACCOUNT_MENU_WORDS) || ACCOUNT_MENU_CJK.some((w) => label.includes(w));
}
