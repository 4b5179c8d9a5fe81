/**
 * A real better-auth server on loopback for Revoke's connector tests and demos.
 *
 *   import { startBetterAuth } from './server.mjs'   (tests)
 *   node server.mjs --port 8788 --demo              (demo: a user signed in from several devices)
 *
 * Configured like a production app as far as Revoke cares: default origin checking (only the
 * server's own origin is trusted, never an extension origin), email + password, the twoFactor
 * plugin, the default fresh-session age (1 day), client IPs from x-forwarded-for.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { toNodeHandler } from 'better-auth/node';
import { twoFactor } from 'better-auth/plugins';
import Database from 'better-sqlite3';

const BASE_PATH = '/api/auth';
const DAY_MS = 24 * 60 * 60 * 1000;

/** Options in one place so the migrations see exactly the schema the server uses. */
function authOptions({ baseURL, db, verbose, cookiePrefix }) {
  return {
    appName: 'Revoke test app',
    baseURL,
    basePath: BASE_PATH,
    secret: randomBytes(32).toString('hex'),
    database: db,
    // autoSignIn off: creating a user must not leave an extra session behind.
    emailAndPassword: { enabled: true, autoSignIn: false },
    plugins: [twoFactor()],
    advanced: {
      // better-auth switches the origin check off when NODE_ENV=test (vitest sets it): force the
      // production default so tests meet the same 403s a real deployment gives.
      disableOriginCheck: false,
      // Cookies know no ports: two apps on one host need their own cookie names to stay apart.
      ...(cookiePrefix ? { cookiePrefix } : {}),
      // The default already, stated because the demo and tests set it per device.
      ipAddress: { ipAddressHeaders: ['x-forwarded-for'] },
    },
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    logger: { disabled: !verbose },
  };
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server.address().port));
  });
}

/** "name=value" pairs for a Cookie header, from a response's Set-Cookie lines (expired ones dropped). */
function cookiePairs(response) {
  return response.headers
    .getSetCookie()
    .filter((line) => !/;\s*max-age=0/i.test(line))
    .map((line) => line.split(';')[0])
    .join('; ');
}

async function expectOk(response, what) {
  const body = await response.text();
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${body.slice(0, 200)}`);
  return body ? JSON.parse(body) : null;
}

/**
 * The demo app's one page: sign in, see who you are and your sessions (device and address, never
 * a token: the page shows what an app's own "your devices" page would), sign out.
 */
function demoPage(baseURL) {
  return `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta name="color-scheme" content="light dark"><title>Revoke demo app</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:640px;margin:40px auto;padding:0 16px}
form{display:flex;gap:8px;flex-wrap:wrap}input,button{font:inherit;padding:6px 10px;border-radius:6px;border:1px solid #8886}
button{background:#2563eb;color:#fff;border-color:#2563eb;cursor:pointer}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:6px 8px;border-bottom:1px solid #8884}
#out{font-weight:600}.muted{opacity:.7}[hidden]{display:none}
</style>
<h1>Revoke demo app</h1>
<p class="muted">A real <a href="https://www.better-auth.com/">better-auth</a> server on this computer. Sign in, then link
<b>${new URL(baseURL).origin}/</b> in Revoke's settings to see and end these sessions.</p>
<form id="f"><input name="email" aria-label="Email" autocomplete="username" value="demo@revoke.test"> <input name="password" aria-label="Password" type="password" autocomplete="current-password" value="demo-password-123">
<button>Sign in</button></form>
<p id="out" role="status">Not signed in.</p>
<section id="signed-in" hidden><h2>Your sessions</h2>
<table><thead><tr><th>Device</th><th>Address</th><th>Signed in</th></tr></thead><tbody id="sessions"></tbody></table>
<p><button id="sign-out" type="button">Sign out</button></p></section>
<script>
const api = '${baseURL}';
const $ = (id) => document.getElementById(id);
const device = (ua) => {
  // Written without backslashes: this script sits inside a template literal.
  const os = ((ua || '').match(/[(]([^)]*)[)]/) || [])[1];
  const browser = ((ua || '').match(/(Firefox|Edg|Chrome|Safari)[/][0-9.]+/) || [])[0] || (ua || 'Unknown device').slice(0, 40);
  return os ? browser + ' on ' + os : browser;
};
function cell(text) { const td = document.createElement('td'); td.textContent = text; return td; }
async function show() {
  const me = await (await fetch(api + '/get-session')).json();
  $('signed-in').hidden = !me;
  $('out').textContent = me ? 'Signed in as ' + me.user.email : 'Not signed in.';
  if (!me) return;
  const list = await (await fetch(api + '/list-sessions')).json();
  $('sessions').replaceChildren(...list.map((s) => {
    const tr = document.createElement('tr');
    tr.append(cell(device(s.userAgent) + (s.id === me.session.id ? ' (this browser)' : '')), cell(s.ipAddress || '—'), cell(new Date(s.createdAt).toLocaleString()));
    return tr;
  }));
}
$('f').onsubmit = async (e) => {
  e.preventDefault();
  const f = new FormData(e.target);
  await fetch(api + '/sign-in/email', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: f.get('email'), password: f.get('password') }) });
  show();
};
$('sign-out').onclick = async () => {
  await fetch(api + '/sign-out', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  show();
};
show();
</script>`;
}

/**
 * Starts the server. Resolves once it listens and its tables exist.
 * @param {{ port?: number, dbFile?: string, verbose?: boolean }} [options]
 */
export async function startBetterAuth({ port = 0, dbFile = ':memory:', verbose = false, cookiePrefix = undefined } = {}) {
  const server = http.createServer();
  const actualPort = await listen(server, port);
  const origin = `http://127.0.0.1:${actualPort}`;
  const baseURL = `${origin}${BASE_PATH}`;
  const db = new Database(dbFile);
  const options = authOptions({ baseURL, db, verbose, cookiePrefix });
  const { runMigrations } = await getMigrations(options);
  await runMigrations();
  const auth = betterAuth(options);
  const handle = toNodeHandler(auth);
  /** API paths (under baseURL) whose requests are held before better-auth sees them: path -> ms. */
  const delays = new Map();
  server.on('request', (req, res) => {
    if (req.url === '/' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(demoPage(baseURL));
      return;
    }
    const delay = delays.get(new URL(req.url ?? '/', origin).pathname.slice(BASE_PATH.length));
    if (delay) void handleLate(req, res, delay);
    else handle(req, res);
  });

  /**
   * A slow request: read whole, held for `ms`, then handled even if the client went away meanwhile
   * (a stopped service worker cannot recall a request it sent), answered only if it is still there.
   */
  async function handleLate(req, res, ms) {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    await new Promise((r) => setTimeout(r, ms));
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      for (const v of [value].flat()) if (v !== undefined) headers.append(name, v);
    }
    const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
    const response = await auth.handler(new Request(`${origin}${req.url}`, { method: req.method, headers, body }));
    if (res.destroyed || req.socket.destroyed) return;
    const out = Object.fromEntries([...response.headers].filter(([name]) => name !== 'set-cookie'));
    const cookies = response.headers.getSetCookie();
    res.writeHead(response.status, cookies.length > 0 ? { ...out, 'set-cookie': cookies } : out);
    res.end(Buffer.from(await response.arrayBuffer()));
  }

  /** Holds requests to an API path (e.g. '/revoke-sessions') for `ms` before handling them; 0 stops. */
  function delayPath(path, ms) {
    if (ms > 0) delays.set(path, ms);
    else delays.delete(path);
  }

  /** POST to the API as the app's own pages would (its own Origin). */
  const post = (path, body, headers = {}) =>
    fetch(`${baseURL}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin, ...headers },
      body: JSON.stringify(body),
    });

  async function createUser(email, password, name = email.split('@')[0]) {
    const res = await post('/sign-up/email', { email, password, name });
    return (await expectOk(res, `sign-up ${email}`)).user;
  }

  /** Signs in from a "device"; returns the Cookie header value that device would now send. */
  async function signIn(email, password, userAgent = 'node', ip) {
    const res = await post('/sign-in/email', { email, password }, {
      'user-agent': userAgent,
      ...(ip ? { 'x-forwarded-for': ip } : {}),
    });
    const body = await expectOk(res, `sign-in ${email}`);
    if (body?.twoFactorRedirect) throw new Error(`sign-in ${email}: two-factor required; use the API's verify-totp`);
    return cookiePairs(res);
  }

  /** Starts TOTP enrolment for the user the cookie belongs to; returns better-auth's otpauth URI. */
  async function enableTwoFactor(cookie, password) {
    const res = await post('/two-factor/enable', { password }, { cookie });
    const body = await expectOk(res, 'two-factor/enable');
    return { totpURI: body.totpURI, backupCodes: body.backupCodes };
  }

  /** Confirms enrolment with a code; better-auth then rotates the session: returns the new cookie. */
  async function verifyTotp(cookie, code) {
    const res = await post('/two-factor/verify-totp', { code }, { cookie });
    await expectOk(res, 'two-factor/verify-totp');
    return cookiePairs(res) || cookie;
  }

  /** The session table as it is, read past the API (tests check revokes against this). */
  function listSessionsDirect(email) {
    const rows = db
      .prepare(
        `SELECT s.id, s.token, s.userId, u.email, s.ipAddress, s.userAgent, s.createdAt, s.updatedAt, s.expiresAt
         FROM session s JOIN user u ON u.id = s.userId ${email ? 'WHERE u.email = ?' : ''} ORDER BY s.createdAt`,
      )
      .all(...(email ? [email] : []));
    return rows;
  }

  /** Backdates every session's creation by two days: older than the default freshAge of one day. */
  function makeSessionsStale() {
    const stale = new Date(Date.now() - 2 * DAY_MS).toISOString();
    db.prepare('UPDATE session SET createdAt = ?').run(stale);
  }

  /**
   * Backdates the sessions signed in with this user agent: created and last updated `ms` ago (what
   * better-auth's list-sessions reports as createdAt/updatedAt), for rules about inactive sessions.
   */
  function ageSessions(userAgent, ms) {
    const then = new Date(Date.now() - ms).toISOString();
    return db.prepare('UPDATE session SET createdAt = ?, updatedAt = ? WHERE userAgent = ?').run(then, then, userAgent).changes;
  }

  /** Empties every table, for the next test case. */
  function reset() {
    for (const table of ['session', 'account', 'twoFactor', 'verification', 'user']) db.prepare(`DELETE FROM "${table}"`).run();
  }

  async function close() {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(() => resolve()));
    db.close();
  }

  return { url: origin, origin, baseURL, auth, delayPath, createUser, signIn, enableTwoFactor, verifyTotp, listSessionsDirect, makeSessionsStale, ageSessions, reset, close };
}

export const DEMO_USER = { email: 'demo@revoke.test', password: 'demo-password-123' };

/** Devices the demo user is signed in from (documentation addresses, RFC 5737 / 3849). */
export const DEMO_DEVICES = [
  { userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', ip: '203.0.113.7' },
  { userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', ip: '198.51.100.23' },
  { userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1', ip: '192.0.2.44' },
  { userAgent: 'curl/8.5.0', ip: '2001:db8::5' },
];

async function main(argv) {
  const arg = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const server = await startBetterAuth({
    port: Number(arg('--port') ?? 0),
    dbFile: arg('--db') ?? ':memory:',
    verbose: argv.includes('--verbose'),
  });
  if (argv.includes('--demo')) {
    await server.createUser(DEMO_USER.email, DEMO_USER.password, 'Demo');
    for (const d of DEMO_DEVICES) await server.signIn(DEMO_USER.email, DEMO_USER.password, d.userAgent, d.ip);
  }
  console.log(`better-auth listening: ${server.baseURL} (sign-in page ${server.origin}/)` +
    (argv.includes('--demo') ? ` demo user ${DEMO_USER.email} / ${DEMO_USER.password}, ${DEMO_DEVICES.length} sessions` : ''));
  const stop = () => server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
