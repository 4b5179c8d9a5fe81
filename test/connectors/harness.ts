/**
 * Runs connectors' test cases (test/connectors/cases/) against loopback servers: one `describe`
 * per connector, one `it` per case. Each case gets a fresh browser profile (cookie jar) and a
 * ConnectorContext built exactly as the extension builds it, over Node's fetch.
 *
 * Expected values use a small matching language:
 *   'exact value'     equal (objects: only the keys given are checked, recursively)
 *   're:<regex>'      a string (or number) the regex finds
 *   'type:<name>'     typeof is name: string, number, boolean, object
 *   'absent'          undefined
 * and the harness itself checks, beyond what a case says:
 *   - after every revoke the case expects to succeed, the server's own records show the sessions
 *     ended (and only those); after an expected failure, that nothing ended;
 *   - no whoami/list result or error text contains a server secret (session tokens, cookie values).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectorContext, type ConnectorContextOptions } from '../../src/connectors/context';
import {
  ConnectorError,
  type AccountToken,
  type Connector,
  type ConnectorContext,
  type LinkedAccountRef,
  type RevokeTarget,
  type Session,
  asSessionList,
  capabilitiesOf,
} from '../../src/connectors/types';
import { selectFromHtml, type HtmlParser } from '../../src/lib/html-select';
import { casesByConnector, type CaseStep, type ConnectorCase } from './cases/index';
import { CookieJar, jarFetch } from './cookie-jar';
import type { Browser, CaseServer, ServerSessions } from './servers/case-server';
import { ServerPool } from './servers/index';

// ---------------------------------------------------------------------------------------------
// Matching

function show(v: unknown): string {
  return v === undefined ? 'undefined' : JSON.stringify(v);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Why `actual` does not match `pattern` (empty when it does). */
export function mismatches(actual: unknown, pattern: unknown, path = '$'): string[] {
  if (typeof pattern === 'string') {
    if (pattern === 'absent') return actual === undefined ? [] : [`${path}: expected absent, got ${show(actual)}`];
    if (pattern.startsWith('re:')) {
      const ok = (typeof actual === 'string' || typeof actual === 'number') && new RegExp(pattern.slice(3)).test(String(actual));
      return ok ? [] : [`${path}: expected to match /${pattern.slice(3)}/, got ${show(actual)}`];
    }
    if (pattern.startsWith('type:')) {
      const type = pattern.slice(5);
      const ok = type === 'object' ? isPlainObject(actual) : typeof actual === type;
      return ok ? [] : [`${path}: expected a ${type}, got ${show(actual)}`];
    }
  }
  if (isPlainObject(pattern)) {
    if (!isPlainObject(actual)) return [`${path}: expected an object, got ${show(actual)}`];
    return Object.entries(pattern).flatMap(([key, p]) => mismatches(actual[key], p, `${path}.${key}`));
  }
  if (Array.isArray(pattern)) {
    if (!Array.isArray(actual) || actual.length !== pattern.length) return [`${path}: expected ${pattern.length} items, got ${show(actual)}`];
    return pattern.flatMap((p, i) => mismatches(actual[i], p, `${path}[${i}]`));
  }
  return Object.is(actual, pattern) ? [] : [`${path}: expected ${show(pattern)}, got ${show(actual)}`];
}

/** Each pattern matched by a different session (backtracking; lists are small). */
function assignPatterns(sessions: Session[], patterns: unknown[], used = new Set<number>()): boolean {
  const [first, ...rest] = patterns;
  if (first === undefined) return true;
  for (let i = 0; i < sessions.length; i++) {
    if (used.has(i) || mismatches(sessions[i], first).length > 0) continue;
    used.add(i);
    if (assignPatterns(sessions, rest, used)) return true;
    used.delete(i);
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Contexts

let htmlParser: HtmlParser | undefined;

/** happy-dom's DOMParser, loaded once (about 0.3 s), standing in for the offscreen document's. */
export async function loadHtmlParser(): Promise<HtmlParser> {
  if (!htmlParser) {
    const { Window } = await import('happy-dom');
    htmlParser = new new Window().DOMParser() as unknown as HtmlParser;
  }
  return htmlParser;
}

export function newBrowser(): Browser {
  const jar = new CookieJar();
  return { jar, fetch: jarFetch(jar), tokens: new Map() };
}

/** The extension's token store for an account, over the test browser's map (as storage.session holds them). */
export function tokenFor(browser: Browser, accountId: string): AccountToken {
  return {
    get: async () => browser.tokens.get(accountId) ?? null,
    set: async (token) => void browser.tokens.set(accountId, token),
    clear: async () => void browser.tokens.delete(accountId),
  };
}

export function caseAccount(connector: Connector, server: { origin: string; instanceUrl: string }): LinkedAccountRef {
  return {
    id: `test-${connector.meta.id}`,
    connectorId: connector.meta.id,
    origin: server.origin,
    ...(connector.meta.instanceUrl ? { instanceUrl: server.instanceUrl } : {}),
    settings: {},
  };
}

/** The context the extension would build, over the test browser. */
export function contextFor(
  connector: Connector,
  account: LinkedAccountRef,
  browser: Browser,
  overrides: Partial<ConnectorContextOptions> = {},
): ConnectorContext {
  return createConnectorContext({
    fetch: browser.fetch,
    account,
    origins: connector.meta.origins,
    local: browser.jar,
    // Asynchronous like the extension's (a round trip to the offscreen document in Chrome).
    selectHtml: async (html, query) => {
      if (!htmlParser) throw new Error('call loadHtmlParser() first');
      return selectFromHtml(htmlParser, html, query);
    },
    timeoutMs: 5_000,
    ...(connector.meta.signIn ? { token: tokenFor(browser, account.id) } : {}),
    ...overrides,
  });
}

// ---------------------------------------------------------------------------------------------
// Steps

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

async function attempt<T>(run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, error };
  }
}

function describeError(e: unknown): string {
  if (e instanceof ConnectorError) return `ConnectorError(${e.kind}): ${e.message}${e.detail ? ` [${e.detail}]` : ''}`;
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** Checks an outcome against `{error: kind}` or hands the value on; throws with the step's label. */
function expectOutcome<T>(label: string, outcome: Outcome<T>, expected: unknown): T | undefined {
  const wantsError = isPlainObject(expected) && 'error' in expected && Object.keys(expected).length === 1;
  if (wantsError) {
    if (outcome.ok) throw new Error(`${label}: expected error '${String(expected.error)}', got ${show(outcome.value)}`);
    if (!(outcome.error instanceof ConnectorError) || outcome.error.kind !== expected.error) {
      throw new Error(`${label}: expected error '${String(expected.error)}', got ${describeError(outcome.error)}`);
    }
    return undefined;
  }
  if (!outcome.ok) throw new Error(`${label}: expected success, got ${describeError(outcome.error)}`);
  return outcome.value;
}

function expectNoSecrets(label: string, what: unknown, secrets: string[]): void {
  const text = what instanceof ConnectorError ? `${what.message} ${what.detail ?? ''}` : JSON.stringify(what) ?? '';
  const leaked = secrets.filter((s) => text.includes(s));
  if (leaked.length > 0) throw new Error(`${label}: a secret reached the output (${leaked[0]!.slice(0, 6)}…)`);
}

function verifyRevoked(label: string, target: RevokeTarget, before: ServerSessions, after: ServerSessions): void {
  const fail = (why: string) => {
    throw new Error(`${label}: the server disagrees: ${why} (before ${show(before.ids)}, after ${show(after.ids)})`);
  };
  if (target === 'all') {
    if (after.ids.length > 0) fail(`${after.ids.length} session(s) still live`);
  } else if (target === 'others') {
    if (!before.current) fail('this browser had no session before');
    if (after.ids.length !== 1 || after.ids[0] !== before.current) fail("expected only this browser's session to remain");
  } else {
    if (after.ids.includes(target.id)) fail(`session ${target.id} is still live`);
    const untouched = before.ids.filter((id) => id !== target.id);
    if (untouched.some((id) => !after.ids.includes(id))) fail('other sessions ended too');
  }
}

/**
 * A connector's own proof of a sign-out against the server's truth: 'refused' only when the server
 * ended the session, 'accepted' only when it still holds it.
 */
function verifyProof(label: string, value: unknown, expected: { proof: string; seen?: string }, before: ServerSessions, after: ServerSessions): void {
  if (!isPlainObject(value)) throw new Error(`${label}: expected a proof, got ${show(value)}`);
  const said = value.oldLoginRefused === true ? 'refused' : value.oldLoginRefused === false ? 'accepted' : 'unchecked';
  if (said !== expected.proof) throw new Error(`${label}: expected proof '${expected.proof}', got '${said}': ${show(value.seen)}`);
  if (expected.seen !== undefined) {
    const problems = mismatches(value.seen, expected.seen, `${label}.seen`);
    if (problems.length > 0) throw new Error(problems.join('; '));
  }
  const live = before.current !== null && after.ids.includes(before.current);
  if (said === 'refused' && live) throw new Error(`${label}: the proof says refused, but the server still holds the session`);
  if (said === 'accepted' && !live) throw new Error(`${label}: the proof says accepted, but the server ended the session`);
}

interface CaseState {
  connector: Connector;
  server: CaseServer;
  browser: Browser;
  account: LinkedAccountRef;
}

async function runStep(state: CaseState, step: CaseStep, label: string): Promise<void> {
  const { connector, server, browser, account } = state;
  const ctx = contextFor(connector, account, browser);
  switch (step.do) {
    case 'server': {
      const args = step.args ?? {};
      // Harness-level: per-account settings, as the options page would store them.
      if (step.action === 'account-settings') {
        for (const [k, v] of Object.entries(args)) account.settings[k] = String(v);
      } else {
        await server.act(step.action, args, browser);
      }
      return;
    }
    case 'whoami': {
      const outcome = await attempt(() => connector.whoami(ctx));
      expectNoSecrets(label, outcome.ok ? outcome.value : outcome.error, server.secrets(browser));
      const value = expectOutcome(label, outcome, step.expect);
      if (outcome.ok) {
        const problems = mismatches(value, step.expect);
        if (problems.length > 0) throw new Error(`${label}: ${problems.join('; ')}`);
      }
      return;
    }
    case 'list': {
      if (!connector.listSessions) throw new Error(`${label}: the connector has no listSessions`);
      const list = connector.listSessions.bind(connector);
      const outcome = await attempt(async () => asSessionList(await list(ctx)));
      expectNoSecrets(label, outcome.ok ? outcome.value : outcome.error, server.secrets(browser));
      const listed = expectOutcome(label, outcome, step.expect);
      if (!listed || 'error' in step.expect) return;
      const { sessions } = listed;
      const { count, currentCount, match } = step.expect;
      // Sessions a service mentions without listing them are stated by every case that lists.
      const unlisted = mismatches(listed.unlisted, 'unlisted' in step.expect ? step.expect.unlisted : 'absent', '$.unlisted');
      if (unlisted.length > 0) throw new Error(`${label}: ${unlisted.join('; ')}`);
      // So are the others a service hides for now (better-auth past its fresh-session age).
      const hidden = mismatches(listed.hidden, 'hidden' in step.expect ? step.expect.hidden : 'absent', '$.hidden');
      if (hidden.length > 0) throw new Error(`${label}: ${hidden.join('; ')}`);
      if (count !== undefined) expect(sessions.length, `${label}: count`).toBe(count);
      if (currentCount !== undefined) expect(sessions.filter((s) => s.current).length, `${label}: currentCount`).toBe(currentCount);
      // "Older than N hours" is offered by can.sessionStart: this browser's listed session has a start time exactly then.
      const declares = capabilitiesOf(connector, account).sessionStart === true;
      for (const s of sessions.filter((x) => x.current)) expect(s.createdAt !== undefined, `${label}: this browser's createdAt vs can.sessionStart`).toBe(declares);
      // A connector that says its list is this browser's alone (the rules about other sessions are not offered) lists nothing else.
      if (capabilitiesOf(connector, account).onlyThisBrowser) expect(sessions.filter((s) => !s.current).length, `${label}: a session other than this browser's, with can.onlyThisBrowser`).toBe(0);
      if (match && !assignPatterns(sessions, match)) {
        throw new Error(`${label}: no session for each pattern.\npatterns: ${show(match)}\nsessions: ${show(sessions)}`);
      }
      return;
    }
    case 'resolve': {
      if (!connector.resolveInstance) throw new Error(`${label}: the connector has no resolveInstance`);
      const typed = { ...account, instanceUrl: `${server.origin}${step.typed}`.replace(/\/+$/, '') };
      const outcome = await attempt(() => connector.resolveInstance!(contextFor(connector, typed, browser)));
      expectNoSecrets(label, outcome.ok ? outcome.value : outcome.error, server.secrets(browser));
      const found = expectOutcome(label, outcome, step.expect === 'instance' ? undefined : step.expect);
      if (found !== undefined) {
        expect(found, `${label}: instance URL`).toBe(server.instanceUrl);
        account.instanceUrl = found;
      }
      return;
    }
    case 'sign-in': {
      if (!connector.signIn || !server.credentials) throw new Error(`${label}: the connector has no signIn, or the server no case user`);
      const signIn = connector.signIn.bind(connector);
      const { user, password } = server.credentials;
      const credentials = { user: step.user ?? user, password: step.password ?? password, deviceName: 'Revoke (Test)' };
      const outcome = await attempt(() => signIn(ctx, credentials));
      expectNoSecrets(label, outcome.ok ? outcome.value : outcome.error, server.secrets(browser));
      const settings = expectOutcome(label, outcome, step.expect === 'ok' ? undefined : step.expect);
      if (settings) Object.assign(account.settings, settings);
      return;
    }
    case 'revoke': {
      if (!connector.revoke) throw new Error(`${label}: the connector has no revoke`);
      let target: RevokeTarget;
      if (typeof step.target === 'object') {
        const sessions = connector.listSessions ? asSessionList(await connector.listSessions(ctx)).sessions : [];
        const picked = step.target.pick === 'current' ? sessions.find((s) => s.current) : sessions.find((s) => !s.current);
        if (!picked) throw new Error(`${label}: no ${step.target.pick} session to pick`);
        target = { id: picked.id };
      } else {
        target = step.target;
      }
      const before = await server.liveSessions(browser);
      const presentedBefore = browser.jar.presented;
      const revoke = connector.revoke.bind(connector);
      // A password typed for this one request, as the popup's prompt passes it.
      const revokeCtx = step.password === undefined ? ctx : { ...ctx, password: step.password };
      const outcome = await attempt(() => revoke(revokeCtx, target));
      expectNoSecrets(label, outcome.ok ? outcome.value ?? null : outcome.error, server.secrets(browser));
      const wantsProof = isPlainObject(step.expect) && 'proof' in step.expect;
      const value = expectOutcome(label, outcome, step.expect === 'ok' || wantsProof ? undefined : step.expect);
      const after = await server.liveSessions(browser);
      if (wantsProof) {
        verifyProof(label, value, step.expect as { proof: string; seen?: string }, before, after);
        // The old login was shown once for a checked proof, and this browser holds none of the site's cookies after.
        expect(browser.jar.presented - presentedBefore, `${label}: times the old login was shown`).toBe((step.expect as { proof: string }).proof === 'unchecked' ? 0 : 1);
        expect(await browser.jar.cookieNames(server.origin), `${label}: cookies left`).toEqual([]);
      } else if (outcome.ok) verifyRevoked(label, target, before, after);
      else expect(after.ids, `${label}: a failed revoke must end nothing`).toEqual(before.ids);
      return;
    }
  }
}

/** Runs one case from a clean server and a fresh browser. */
export async function runCase(connector: Connector, kase: ConnectorCase, pool: ServerPool): Promise<void> {
  await loadHtmlParser();
  const server = await pool.get(kase.server);
  await server.reset();
  const browser = newBrowser();
  const state: CaseState = { connector, server, browser, account: caseAccount(connector, server) };
  for (const [i, step] of kase.steps.entries()) {
    const label = `step ${i + 1} (${step.do}${step.do === 'server' ? ` ${step.action}` : ''})`;
    await runStep(state, step, label);
  }
}

/** One `describe` per connector, one `it` per case; servers start once per file. */
export function describeConnectorCases(connectors: readonly Connector[], pool: ServerPool = new ServerPool()): ServerPool {
  afterAll(() => pool.closeAll());
  for (const connector of connectors) {
    const cases = casesByConnector[connector.meta.id] ?? [];
    describe(`connector ${connector.meta.id}`, () => {
      // Servers start before the cases, so a slow first start (a real WordPress installs itself
      // once per machine) is not counted against the first case's time.
      beforeAll(async () => {
        await Promise.all([...new Set(cases.map((k) => k.server))].map((name) => pool.get(name)));
      }, 180_000);
      for (const kase of cases) it(kase.name, () => runCase(connector, kase, pool));
    });
  }
  return pool;
}
