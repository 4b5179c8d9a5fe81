/**
 * A real OpenID Connect provider on loopback for Revoke's connector and end-to-end tests:
 * panva/node-oidc-provider (npm `oidc-provider`, pinned in package.json; OpenID Certified), with
 *   - an in-memory adapter whose store the tests read, so they can say what the provider itself holds
 *     (its Session model: `accountId` set = someone is signed in; lib/models/session.js);
 *   - its development interactions (lib/actions/interaction.js: any login and password sign in,
 *     then a consent page), as a person would meet them in a tab;
 *   - RP-Initiated Logout as it ships (lib/actions/end_session.js: a signed-in session gets the
 *     "Do you want to sign-out from …?" page, a form with a hidden `xsrf` and a `logout=yes`
 *     button; a session without an account gets an auto-submitting form_post instead);
 *   - one relying party on another loopback address (127.0.0.2): a confidential client using the code flow with
 *     PKCE, which exchanges the code at the token endpoint and says who signed in.
 *
 *   import { startOidcProvider } from './server.mjs'   (tests)
 *   node server.mjs                                      (prints the issuer and the RP's sign-in link)
 *
 * http on loopback: oidc-provider accepts an http issuer; its cookies are then not `Secure`.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import Provider from 'oidc-provider';

export const RP_CLIENT_ID = 'revoke-test-rp';
const RP_CLIENT_SECRET = randomBytes(24).toString('hex');

/** The provider's storage, one Map for every model, readable by the tests (expiry as the adapter contract asks). */
function memoryStore() {
  const rows = new Map();
  const live = (key) => {
    const row = rows.get(key);
    if (row && row.expiresAt !== undefined && row.expiresAt <= Date.now()) {
      rows.delete(key);
      return undefined;
    }
    return row;
  };
  class Adapter {
    constructor(model) {
      this.model = model;
    }
    key(id) {
      return `${this.model}:${id}`;
    }
    async upsert(id, payload, expiresIn) {
      rows.set(this.key(id), { model: this.model, id, payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
    }
    async find(id) {
      return live(this.key(id))?.payload;
    }
    async findByUid(uid) {
      for (const key of [...rows.keys()]) {
        const row = live(key);
        if (row?.model === this.model && row.payload.uid === uid) return row.payload;
      }
      return undefined;
    }
    async findByUserCode(userCode) {
      for (const key of [...rows.keys()]) {
        const row = live(key);
        if (row?.model === this.model && row.payload.userCode === userCode) return row.payload;
      }
      return undefined;
    }
    async consume(id) {
      const row = live(this.key(id));
      if (row) row.payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id) {
      rows.delete(this.key(id));
    }
    async revokeByGrantId(grantId) {
      for (const [key, row] of rows) if (row.payload.grantId === grantId) rows.delete(key);
    }
  }
  return {
    Adapter,
    /** Live rows of one model. */
    all(model) {
      return [...rows.keys()].map(live).filter((row) => row?.model === model);
    },
    clear: () => rows.clear(),
  };
}

function listen(server, host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve(server.address().port));
  });
}

const page = (title, body) => `<!doctype html><meta charset="utf-8"><meta name="color-scheme" content="light dark"><title>${title}</title>
<body style="font:15px/1.5 system-ui,sans-serif;max-width:640px;margin:40px auto;padding:0 16px"><h1>${title}</h1>${body}</body>`;

/**
 * Starts the provider and its relying party. `modes` (a Set the tests change) bends the provider's
 * answers for refusal and changed-page cases: 'discovery-missing' (404 for the discovery document),
 * 'discovery-garbled' (an HTML page in its place), 'discovery-other-issuer' (a document naming
 * another issuer, which Discovery §4.3 says must not be used), 'no-logout' (no end_session_endpoint),
 * 'logout-elsewhere' (an end_session_endpoint on another origin), 'keep-sessions' (the confirmation
 * answers 303 as usual but the session stays), 'spoil-next-xsrf' (the next sign-out confirmation
 * meets a session whose xsrf secret changed: oidc-provider's own check refuses it).
 */
export async function startOidcProvider({ verbose = false, rpHost = '127.0.0.2' } = {}) {
  const store = memoryStore();
  const modes = new Set();

  // The RP on another loopback address: cookies are per host, not per port, and an app's login
  // must not go with the provider's cookies (nor the provider's with the app's).
  const rpServer = http.createServer();
  const rpOrigin = `http://${rpHost}:${await listen(rpServer, rpHost)}`;
  const opServer = http.createServer();
  const issuer = `http://127.0.0.1:${await listen(opServer)}`;

  const provider = new Provider(issuer, {
    adapter: store.Adapter,
    clients: [{
      client_id: RP_CLIENT_ID,
      client_secret: RP_CLIENT_SECRET,
      client_name: 'Revoke test app',
      redirect_uris: [`${rpOrigin}/callback`],
      post_logout_redirect_uris: [`${rpOrigin}/`],
      response_types: ['code'],
      grant_types: ['authorization_code'],
    }],
    cookies: { keys: [randomBytes(32).toString('hex')] },
    // Any login signs in (devInteractions); the account is the login typed.
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    pkce: { required: () => true },
    // Stated rather than the defaults (which print a notice each): a day's session, short artifacts.
    ttl: { Session: 24 * 3600, Interaction: 3600, Grant: 24 * 3600, AuthorizationCode: 60, AccessToken: 3600, IdToken: 3600 },
  });
  if (!verbose) provider.on('server_error', () => {});

  provider.use(async (ctx, next) => {
    if (ctx.path === '/.well-known/openid-configuration' && modes.has('discovery-missing')) {
      ctx.status = 404;
      ctx.body = 'Not Found';
      return;
    }
    if (ctx.path === '/.well-known/openid-configuration' && modes.has('discovery-garbled')) {
      ctx.type = 'html';
      ctx.body = page('Maintenance', '<p>We are down for maintenance.</p>');
      return;
    }
    if (ctx.path === '/.well-known/openid-configuration' && modes.has('discovery-other-issuer')) {
      ctx.body = { issuer: 'https://login.elsewhere.example', authorization_endpoint: 'https://login.elsewhere.example/auth', end_session_endpoint: `${issuer}/session/end` };
      return;
    }
    if (ctx.path === '/.well-known/openid-configuration' && (modes.has('no-logout') || modes.has('logout-elsewhere'))) {
      await next();
      const doc = { ...ctx.body };
      if (modes.has('no-logout')) delete doc.end_session_endpoint;
      else doc.end_session_endpoint = 'https://logout.elsewhere.example/session/end';
      ctx.body = doc;
      return;
    }
    if (ctx.method === 'POST' && ctx.path === '/session/end/confirm' && modes.has('keep-sessions')) {
      // A provider that says "done" and keeps the session: what Revoke must not call a sign-out.
      ctx.status = 303;
      ctx.redirect('/session/end/success');
      return;
    }
    if (ctx.method === 'POST' && ctx.path === '/session/end/confirm' && modes.delete('spoil-next-xsrf')) {
      for (const row of store.all('Session')) if (row.payload.state?.secret) row.payload.state.secret = randomBytes(24).toString('hex');
    }
    await next();
  });
  opServer.on('request', provider.callback());

  // The relying party: /login starts the code flow (PKCE S256), /callback exchanges the code and
  // starts the app's own session (cookie rp_sid), / shows who is signed in with a sign-out form,
  // POST /logout ends the app's session (the provider's is its own business).
  const pending = new Map();
  const rpSessions = new Map();
  const rpUser = (req) => {
    const sid = /(?:^|;\s*)rp_sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    return sid && rpSessions.has(sid) ? { sid, sub: rpSessions.get(sid) } : null;
  };
  rpServer.on('request', async (req, res) => {
    const url = new URL(req.url, rpOrigin);
    try {
      if (url.pathname === '/login') {
        const state = randomBytes(12).toString('hex');
        const verifier = randomBytes(32).toString('base64url');
        pending.set(state, verifier);
        const auth = new URL(`${issuer}/auth`);
        auth.search = new URLSearchParams({
          client_id: RP_CLIENT_ID, response_type: 'code', scope: 'openid', redirect_uri: `${rpOrigin}/callback`, state,
          code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256',
        }).toString();
        res.writeHead(302, { location: auth.href }).end();
      } else if (url.pathname === '/callback') {
        const verifier = pending.get(url.searchParams.get('state') ?? '');
        pending.delete(url.searchParams.get('state') ?? '');
        const code = url.searchParams.get('code');
        if (!verifier || !code) {
          res.writeHead(400, { 'content-type': 'text/html' }).end(page('Not signed in', `<p id="rp-error">${String(url.searchParams.get('error') ?? 'no code')}</p>`));
          return;
        }
        const token = await fetch(`${issuer}/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${RP_CLIENT_ID}:${RP_CLIENT_SECRET}`).toString('base64')}` },
          body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: `${rpOrigin}/callback`, code_verifier: verifier }).toString(),
        });
        const body = await token.json();
        if (!token.ok) throw new Error(`token endpoint: ${token.status} ${JSON.stringify(body)}`);
        const sub = JSON.parse(Buffer.from(body.id_token.split('.')[1], 'base64url').toString()).sub;
        const sid = randomBytes(24).toString('hex');
        rpSessions.set(sid, sub);
        res.writeHead(200, { 'content-type': 'text/html', 'set-cookie': `rp_sid=${sid}; Path=/; HttpOnly; SameSite=Lax` })
          .end(page('Revoke test app', `<p>Signed in through the provider as <b id="rp-user">${sub}</b>.</p><p><a href="/">Home</a></p>`));
      } else if (url.pathname === '/logout' && req.method === 'POST') {
        const user = rpUser(req);
        if (user) rpSessions.delete(user.sid);
        res.writeHead(303, { location: '/', 'set-cookie': 'rp_sid=; Path=/; Max-Age=0' }).end();
      } else if (url.pathname === '/') {
        const user = rpUser(req);
        res.writeHead(200, { 'content-type': 'text/html' }).end(page('Revoke test app', user
          ? `<p>Signed in as <b id="rp-user">${user.sub}</b>.</p><form method="post" action="/logout"><button>Sign out</button></form>`
          : `<p><a id="rp-login" href="/login">Sign in with the provider</a></p>`));
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      }
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e));
    }
  });

  /** The provider's sessions with someone signed in: {id (the `_session` cookie's value), accountId}. */
  const signedIn = () => store.all('Session').filter((row) => row.payload.accountId).map((row) => ({ id: row.id, accountId: row.payload.accountId }));

  /**
   * Signs a browser in as a person would: the RP's sign-in link, the provider's sign-in form
   * (`login`, any password), its consent page, back at the RP. `browserFetch` keeps the browser's
   * cookies and must not follow redirects on its own when asked for redirect: 'manual'.
   */
  async function signInWith(browserFetch, login = 'alice') {
    let url = `${rpOrigin}/login`;
    let init = { redirect: 'manual' };
    for (let hop = 0; hop < 20; hop++) {
      const res = await browserFetch(url, init);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.body?.cancel();
        url = new URL(location, url).href;
        init = { redirect: 'manual' };
        continue;
      }
      const html = await res.text();
      if (url.startsWith(`${rpOrigin}/callback`)) {
        if (res.status !== 200) throw new Error(`sign-in: the RP answered ${res.status}: ${html.slice(0, 200)}`);
        return;
      }
      const prompt = /name="prompt" value="(login|consent)"/.exec(html)?.[1];
      if (!prompt || res.status !== 200) throw new Error(`sign-in: unexpected page at ${url} (${res.status}): ${html.slice(0, 300)}`);
      const form = prompt === 'login' ? { prompt, login, password: 'any-password' } : { prompt };
      init = { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() };
    }
    throw new Error('sign-in: too many steps');
  }

  /** Starts a sign-in at the RP and stops at the provider's sign-in form (its interaction cookies set, nobody signed in). */
  async function startSignInWith(browserFetch) {
    let url = `${rpOrigin}/login`;
    for (let hop = 0; hop < 5; hop++) {
      const res = await browserFetch(url, { redirect: 'manual' });
      const location = res.headers.get('location');
      if (!location) {
        const html = await res.text();
        if (!html.includes('name="prompt" value="login"')) throw new Error(`start-sign-in: no sign-in form at ${url}`);
        return;
      }
      await res.body?.cancel();
      url = new URL(location, url).href;
    }
    throw new Error('start-sign-in: too many redirects');
  }

  return {
    issuer,
    origin: issuer,
    rpOrigin,
    clientId: RP_CLIENT_ID,
    modes,
    signedIn,
    /** Every Session row, signed in or not (what the store holds). */
    sessions: () => store.all('Session').map((row) => ({ id: row.id, accountId: row.payload.accountId ?? null, xsrf: row.payload.state?.secret ?? null })),
    signInWith,
    startSignInWith,
    /** The relying party's own sessions: the accounts signed in there. */
    rpSignedIn: () => [...rpSessions.values()],
    reset() {
      store.clear();
      modes.clear();
      pending.clear();
      rpSessions.clear();
    },
    close: () => Promise.all([opServer, rpServer].map((s) => new Promise((resolve) => { s.closeAllConnections(); s.close(() => resolve()); }))),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const op = await startOidcProvider({ verbose: true });
  console.log(`issuer ${op.issuer}\nrelying party: ${op.rpOrigin}/login`);
}
