/**
 * Starts and drives the real WordPress of test/servers/wordpress/wordpress.sh from Node: its
 * database (the session tokens and application passwords WordPress stores) and its own PHP (to
 * create application passwords the way its profile page does). Used by the connector cases and
 * the e2e test.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('./wordpress.sh', import.meta.url));

export interface WordPressSite {
  base: string;
  user: string;
  password: string;
  /** Name of the login cookie (wordpress_logged_in_ + md5 of the site URL). */
  loggedInCookie: string;
  /** One SQL statement against the site's database; tab-separated rows. */
  sql(statement: string): Promise<string[][]>;
  /** The hashes (sha256 of the token, as WordPress keys them) of the user's live session tokens. */
  sessionHashes(): Promise<string[]>;
  appPasswordUuids(): Promise<string[]>;
  /** Creates an application password as WordPress does; returns its uuid and the password, shown once. */
  createAppPassword(name: string): Promise<{ uuid: string; password: string }>;
  /** Forgets every session and application password of the user. */
  clearSessions(): Promise<void>;
  stop(): Promise<void>;
}

/** The token inside a logged-in cookie value (user|expiration|token|hmac), as WordPress hashes it. */
export function sessionHashOfCookie(value: string | undefined): string | undefined {
  const token = value === undefined ? undefined : decodeURIComponent(value).split('|')[2];
  return token ? createHash('sha256').update(token).digest('hex') : undefined;
}

/**
 * Starts the site http://127.0.0.1:`port` (PHP on `listen`, default the same port). The first
 * start on a machine creates the database and installs WordPress (about 10 s); later ones ~1 s.
 */
export async function startWordPress(port: number, listen = port): Promise<WordPressSite> {
  const { stdout } = await run('bash', [SCRIPT, 'start', String(port), String(listen)], { timeout: 120_000 });
  const env = Object.fromEntries(stdout.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  const need = (k: string) => env[k] ?? (() => { throw new Error(`wordpress.sh did not print ${k}: ${stdout}`); })();
  const base = need('WP_BASE');
  const db = ['--no-defaults', `--socket=${need('WP_DB_SOCKET')}`, `-u${need('WP_DB_USER')}`, `-p${need('WP_DB_PASS')}`, '-N', '-B', need('WP_DB_NAME')];
  const sql = async (statement: string) => {
    const { stdout: out } = await run('mariadb', [...db, '-e', statement]);
    return out.split('\n').filter(Boolean).map((row) => row.split('\t'));
  };
  const meta = async (key: string) => (await sql(`SELECT meta_value FROM wp_usermeta WHERE user_id = 1 AND meta_key = '${key}'`))[0]?.[0] ?? '';
  const php = async (code: string, ...args: string[]) =>
    (await run('php', ['-r', `require getenv('PREPEND'); $_SERVER['HTTP_HOST'] = getenv('HTTP_HOST'); require ABSPATH . 'wp-load.php'; ${code}`, ...args], {
      env: { ...process.env, PREPEND: need('WP_PREPEND'), HTTP_HOST: new URL(base).host },
    })).stdout;
  return {
    base,
    user: need('WP_USER'),
    password: need('WP_PASS'),
    loggedInCookie: `wordpress_logged_in_${createHash('md5').update(base).digest('hex')}`,
    sql,
    // Serialized PHP: session_tokens is keyed by 64-hex hashes, application passwords carry "uuid".
    sessionHashes: async () => [...(await meta('session_tokens')).matchAll(/s:64:"([0-9a-f]{64})";a:/g)].map((m) => m[1]!),
    appPasswordUuids: async () => [...(await meta('_application_passwords')).matchAll(/s:4:"uuid";s:36:"([0-9a-f-]{36})"/g)].map((m) => m[1]!),
    async createAppPassword(name) {
      const out = await php(`[$p, $item] = WP_Application_Passwords::create_new_application_password(1, ['name' => $argv[1]]); echo $item['uuid'], ' ', $p;`, name);
      const [uuid = '', password = ''] = out.trim().split(' ');
      if (!/^[0-9a-f-]{36}$/.test(uuid) || password.length < 24) throw new Error(`creating an application password failed: ${out}`);
      return { uuid, password };
    },
    async clearSessions() {
      await sql(`DELETE FROM wp_usermeta WHERE meta_key IN ('session_tokens', '_application_passwords')`);
    },
    async stop() {
      await run('bash', [SCRIPT, 'stop', String(port)], { timeout: 30_000 });
    },
  };
}

/** Signs in through wp-login.php as WordPress's own form does, with `fetch` (a cookie jar's). */
export async function signInWordPress(site: Pick<WordPressSite, 'base' | 'user' | 'password'>, fetch: (url: string, init: RequestInit) => Promise<Response>): Promise<void> {
  const login = `${site.base}/wp-login.php`;
  await (await fetch(login, {})).text(); // sets wordpress_test_cookie
  const res = await fetch(login, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ log: site.user, pwd: site.password, 'wp-submit': 'Log In', testcookie: '1', redirect_to: `${site.base}/wp-admin/` }).toString(),
  });
  await res.text();
  if (res.status !== 302) throw new Error(`WordPress sign-in: HTTP ${res.status}`);
}
