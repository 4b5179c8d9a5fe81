/**
 * Builds the ConnectorContext a connector runs with, from injected platform pieces, so the same
 * connector code runs in the extension (browser fetch with credentials: 'include') and in Node
 * tests (fetch bound to a cookie jar). Everything a connector could get wrong about the network
 * is enforced here once: the origin guard, timeouts, error kinds, the Origin header, body limits.
 */
import {
  ConnectorError,
  type ConnectorContext,
  type FetchInit,
  type HttpResponse,
  type AccountToken,
  type LinkedAccountRef,
  type LocalState,
  type SiteTabs,
} from './types';
import { connectorError } from './common';
import type { Said } from '../i18n/t';

/** The platform's fetch. The extension passes one that sets credentials: 'include'. */
export type RawFetch = (url: string, init: RequestInit) => Promise<Response>;

export interface ConnectorContextOptions {
  fetch: RawFetch;
  account: LinkedAccountRef;
  /** The connector's fixed origins (meta.origins), allowed besides the account's own. */
  origins?: readonly string[];
  local: LocalState;
  /** Background tabs on the account's origin (the extension's); absent in Node. */
  tabs?: SiteTabs;
  selectHtml: ConnectorContext['selectHtml'];
  /** For connectors that sign Revoke in (meta.signIn): the account's token store. */
  token?: AccountToken;
  now?: () => number;
  /** Per request, headers and body together. */
  timeoutMs?: number;
  maxBodyBytes?: number;
  /** Cancels every request of this context (the engine gives up, the popup closes). */
  signal?: AbortSignal;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;

const SAFE_METHODS = new Set(['GET', 'HEAD']);

export function createConnectorContext(opts: ConnectorContextOptions): ConnectorContext {
  const signal = opts.signal ?? new AbortController().signal;
  const allowed = allowedOrigins(opts.account, opts.origins ?? []);
  const limits = {
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxBodyBytes: opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
  };

  async function guardedFetch(url: string, init: FetchInit = {}): Promise<HttpResponse> {
    const target = checkTarget(url, opts.account, allowed);
    const request = buildRequest(target, init);
    const deadline = startDeadline(init.timeoutMs ?? limits.timeoutMs, signal);
    let response: Response;
    try {
      response = await opts.fetch(target.href, { ...request, signal: deadline.signal });
    } catch (e) {
      const loop = request.redirect === 'follow' && !deadline.timedOut && !deadline.cancelled && (await answersWithRedirect(opts.fetch, target, request, deadline.signal));
      deadline.done();
      if (loop) throw connectorError('server', { key: 'connErr_redirectLoop', subs: [target.host] }, 'a redirect loop, or a redirect the browser would not follow');
      throw networkFailure(e, deadline, target);
    }
    if (request.redirect === 'manual' && init.redirect !== 'manual' && isRedirect(response)) {
      // An unsafe request the connector expected to be carried out was answered with a redirect.
      // It is not sent on: a 307/308 would re-send its body (a session token) to the new address.
      deadline.done();
      void response.body?.cancel().catch(() => undefined);
      const where = response.headers.get('location');
      throw connectorError(
        'page-changed',
        { key: 'connErr_redirectUnsafe', subs: [target.host] },
        `HTTP ${response.status || 'redirect'}${where ? ` to ${excerpt(where, 80)}` : ''}`,
      );
    }
    // A followed redirect may have ended anywhere: read nothing from outside the account's origins.
    if (response.type !== 'opaqueredirect' && response.url) {
      const finalOrigin = safeOrigin(response.url);
      if (finalOrigin !== null && !allowed.has(finalOrigin)) {
        deadline.done();
        void response.body?.cancel().catch(() => undefined);
        throw connectorError('page-changed', { key: 'connErr_otherSite', subs: [target.host, finalOrigin] }, `redirected to ${finalOrigin}`);
      }
    }
    return wrapResponse(response, target, deadline, limits.maxBodyBytes);
  }

  return {
    account: opts.account,
    fetch: guardedFetch,
    selectHtml: (html, query) => opts.selectHtml(html, query),
    local: opts.local,
    ...(opts.tabs ? { tabs: opts.tabs } : {}),
    ...(opts.token ? { token: opts.token } : {}),
    now: opts.now ?? (() => Date.now()),
    signal,
  };
}

// ---------------------------------------------------------------------------------------------
// Requests

function safeOrigin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

function allowedOrigins(account: LinkedAccountRef, extra: readonly string[]): Set<string> {
  const origins = new Set<string>();
  for (const o of [account.origin, ...extra]) {
    const origin = safeOrigin(o);
    if (origin && origin !== 'null') origins.add(origin);
  }
  return origins;
}

/** The URL to fetch, or 'permission' when it is not one Revoke may contact for this account. */
function checkTarget(url: string, account: LinkedAccountRef, allowed: Set<string>): URL {
  let target: URL;
  try {
    target = new URL(url, account.origin);
  } catch {
    throw connectorError('permission', { key: 'connErr_notAddress', subs: [JSON.stringify(url.slice(0, 100))] });
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    throw connectorError('permission', { key: 'connErr_protocol', subs: [target.protocol] });
  }
  if (target.username || target.password) {
    throw connectorError('permission', { key: 'connErr_credentials' });
  }
  if (!allowed.has(target.origin)) {
    throw connectorError('permission', { key: 'connErr_notAllowed', subs: [[...allowed].join(', '), target.origin] });
  }
  return target;
}

function buildRequest(target: URL, init: FetchInit): RequestInit {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(init.headers ?? {})) headers[name.toLowerCase()] = value;
  let body: string | undefined;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers['content-type'] ??= 'application/json';
  } else if (init.form) {
    body = new URLSearchParams(init.form).toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  }
  const method = (init.method ?? (body === undefined ? 'GET' : 'POST')).toUpperCase();
  // Browsers send the extension's own origin on unsafe requests, which sites with origin checks
  // refuse. With the host permission, Chromium honours an explicit Origin (route 1 in
  // docs/extension-requests.md): send the site's own, as its pages would.
  const unsafe = !SAFE_METHODS.has(method);
  if (unsafe) headers.origin = target.origin;
  // Unsafe methods never follow redirects: a followed 307/308 re-sends the body (a session token,
  // a CSRF token) before Revoke could see where it goes. What a redirect means is decided after.
  return { method, headers, body, redirect: unsafe ? 'manual' : (init.redirect ?? 'follow'), credentials: 'include' };
}

/** A response that is a redirect not followed: a browser's opaque one (status 0), or Node's 3xx. */
function isRedirect(response: Response): boolean {
  return response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400 && response.headers.has('location'));
}

/**
 * After a followed request failed: does the site answer at all, with a redirect? Then the failure
 * was the redirects (a loop, or one the browser refused), not the network. Only for safe methods,
 * which may be sent twice. Browsers give no other sign: their fetch fails with a bare TypeError.
 */
async function answersWithRedirect(fetch: RawFetch, target: URL, request: RequestInit, signal: AbortSignal): Promise<boolean> {
  if (!SAFE_METHODS.has(String(request.method))) return false;
  try {
    const probe = await fetch(target.href, { ...request, redirect: 'manual', signal });
    void probe.body?.cancel().catch(() => undefined);
    return isRedirect(probe);
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Deadlines and failures

interface Deadline {
  signal: AbortSignal;
  readonly timedOut: boolean;
  readonly cancelled: boolean;
  readonly ms: number;
  done(): void;
}

/** One timer per request, covering headers and body; also fires when the context is cancelled. */
function startDeadline(ms: number, parent: AbortSignal): Deadline {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`No answer within ${ms} ms`, 'TimeoutError'));
  }, ms);
  const onParentAbort = () => controller.abort(parent.reason);
  if (parent.aborted) onParentAbort();
  else parent.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    get cancelled() {
      return parent.aborted;
    },
    ms,
    done() {
      clearTimeout(timer);
      parent.removeEventListener('abort', onParentAbort);
    },
  };
}

function isAbort(e: unknown): boolean {
  return e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError');
}

function networkFailure(e: unknown, deadline: Deadline, target: URL): ConnectorError {
  if (e instanceof ConnectorError) return e;
  if (deadline.timedOut) {
    return deadline.ms >= 1000
      ? connectorError('timeout', { key: 'connErr_timeoutSeconds', subs: [target.host, Math.round(deadline.ms / 100) / 10] })
      : connectorError('timeout', { key: 'connErr_timeoutMs', subs: [target.host, deadline.ms] });
  }
  if (deadline.cancelled || isAbort(e)) return connectorError('timeout', { key: 'connErr_cancelled' });
  // fetch rejects with a TypeError for refused connections, DNS failures, resets, CORS.
  const code = causeCode(e);
  return connectorError('offline', { key: 'connErr_unreachable', subs: [target.host] }, code ?? (e instanceof Error ? e.message : undefined));
}

function causeCode(e: unknown): string | undefined {
  const cause = e instanceof Error ? (e as { cause?: unknown }).cause : undefined;
  const code = cause && typeof cause === 'object' ? (cause as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

// ---------------------------------------------------------------------------------------------
// Responses

function wrapResponse(response: Response, target: URL, deadline: Deadline, maxBytes: number): HttpResponse {
  let text: Promise<string> | undefined;
  const readText = () => (text ??= readCapped(response, target, deadline, maxBytes));
  return {
    // A browser hides a redirect it was told not to follow (status 0); Node shows the 3xx.
    status: response.type === 'opaqueredirect' ? 0 : response.status,
    url: response.url || target.href,
    redirected: response.redirected,
    headers: { get: (name) => response.headers.get(name) },
    text: readText,
    async json() {
      const body = await readText();
      try {
        return JSON.parse(body) as unknown;
      } catch {
        throw connectorError(
          'page-changed',
          { key: 'connErr_notData', subs: [target.host] },
          `HTTP ${response.status} ${response.headers.get('content-type') ?? ''}: ${excerpt(body)}`,
        );
      }
    },
  };
}

/** Reads the body as UTF-8, stopping as soon as it passes `maxBytes` instead of buffering it all. */
async function readCapped(response: Response, target: URL, deadline: Deadline, maxBytes: number): Promise<string> {
  const tooLarge = () =>
    connectorError('page-changed', tooLargeSaid(target.host, maxBytes), `HTTP ${response.status}`);
  try {
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > maxBytes) {
      void response.body?.cancel().catch(() => undefined);
      throw tooLarge();
    }
    if (!response.body) return '';
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let total = 0;
    let out = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        void reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      out += decoder.decode(value, { stream: true });
    }
    return out + decoder.decode();
  } catch (e) {
    throw networkFailure(e, deadline, target);
  } finally {
    deadline.done();
  }
}

function tooLargeSaid(host: string, n: number): Said {
  return n >= 1024 * 1024
    ? { key: 'connErr_tooLargeMb', subs: [host, Math.round((n / (1024 * 1024)) * 10) / 10] }
    : { key: 'connErr_tooLargeKb', subs: [host, Math.round(n / 1024)] };
}

/**
 * A short, single-line piece of a response for the details view. Long token-like runs are cut
 * out: a page that is not what we expect may still carry secrets.
 */
export function excerpt(text: string, max = 120): string {
  const line = text
    .replace(/[A-Za-z0-9_\-.+/=%]{24,}/g, '[…]')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
