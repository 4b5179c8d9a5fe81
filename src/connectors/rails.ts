/**
 * What Rails apps (Mastodon, GitLab) share, read from rails/rails (actionpack
 * request_forgery_protection.rb: masked per-request tokens, `verified_request?` = token in the
 * `authenticity_token` param or `X-CSRF-Token`, plus the Origin check; actionview csrf_helper.rb:
 * `<meta name="csrf-param">` and `<meta name="csrf-token">`; rack method_override.rb: a POST with
 * `_method=delete` is a DELETE) and from rails-ujs (a `data-method` link is submitted as that form):
 *
 * - A settings page is read with the browser's cookies; signed out, Devise redirects it to the
 *   sign-in page, so landing there is "not signed in", never an error.
 * - Lists on those pages are HTML: `readRows` reads one record per row, and a row missing a field
 *   the service always renders is "page changed" (never "no sessions").
 * - Ending something is the form rails-ujs sends for a `data-method` link: POST `_method` and
 *   `authenticity_token`. A refused token is 422 (InvalidAuthenticityToken).
 */
import { RAILS_DEFAULT_CSRF_PARAM, railsMethodFields, type PageCsrf } from './sign-out/frameworks';
import { excerpt } from './context';
import { ConnectorError, type ConnectorContext, type HtmlQuery } from './types';
import { connectorError, failureText } from './common';

/** A Rails app as a connector sees it: where it lives, what it is called, where Devise signs in. */
export interface RailsSite {
  /** "Mastodon", "GitLab": used in messages. */
  service: string;
  /** The instance URL without a trailing slash (an app may live under a path). */
  base: string;
  /** Devise's sign-in page under `base` (/auth/sign_in, /users/sign_in). */
  signInPath: string;
}

/** The authenticity token a page carries, and the form field it goes in. */
export type RailsToken = PageCsrf;

export function host(ctx: ConnectorContext): string {
  return new URL(ctx.account.origin).host;
}

export function pageChanged(ctx: ConnectorContext, site: RailsSite, detail: string): ConnectorError {
  return connectorError('page-changed', { key: 'connErr_railsChanged', subs: [host(ctx), site.service] }, detail);
}

export function signedOut(ctx: ConnectorContext, site: RailsSite, detail?: string): ConnectorError {
  return connectorError('signed-out', { key: 'connErr_signedOutAt', subs: [site.service, host(ctx)] }, detail);
}

const TOKEN_QUERY = { csrfParam: 'meta[name="csrf-param"]@content', csrfToken: 'meta[name="csrf-token"]@content' } as const;

export interface RailsPage<Q extends HtmlQuery> {
  html: string;
  values: { [K in keyof Q]: string[] };
  /** Absent on pages rendered without csrf_meta_tags. */
  token?: RailsToken;
}

/**
 * GETs a page of the app and reads `query` and its authenticity token from it. Null when Devise
 * sent the browser to the sign-in page (not signed in).
 */
export async function readRailsPage<Q extends HtmlQuery>(ctx: ConnectorContext, site: RailsSite, path: string, query: Q): Promise<RailsPage<Q> | null> {
  const res = await ctx.fetch(`${site.base}${path}`, { headers: { accept: 'text/html' } });
  const landed = new URL(res.url);
  if (landed.pathname === new URL(`${site.base}${site.signInPath}`).pathname) return null;
  if (res.status === 401) return null;
  if (res.status >= 500) throw connectorError('server', { key: 'connErr_serverAt', subs: [site.service, host(ctx), String(res.status)] }, `HTTP ${res.status} ${path}`);
  const html = await res.text();
  if (res.status !== 200) throw pageChanged(ctx, site, `HTTP ${res.status} ${path}: ${excerpt(html)}`);
  const found = await ctx.selectHtml(html, { ...query, ...TOKEN_QUERY });
  const token = found.csrfToken[0];
  const values = found as unknown as { [K in keyof Q]: string[] };
  return { html, values, ...(token ? { token: { param: found.csrfParam[0] || RAILS_DEFAULT_CSRF_PARAM, token } } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Rows of a list

/** Field name -> 'selector' or 'selector@attribute', relative to one row. */
export type RowQuery = Readonly<Record<string, string>>;
export type Row<F extends RowQuery> = { [K in keyof F]: string | undefined };

/**
 * One record per element matching `rows` (a selector whose last part picks the row elements, such
 * as 'ul.list-group > li'), each field the first match inside that row. A row lacking one of
 * `required` means the page is not the one Revoke was written for.
 */
export async function readRows<F extends RowQuery>(
  ctx: ConnectorContext, site: RailsSite, html: string, rows: string, fields: F, required: readonly (keyof F & string)[],
): Promise<Row<F>[]> {
  const { count } = await ctx.selectHtml(html, { count: rows });
  if (count.length === 0) return [];
  // `:nth-child(n of S)` numbers the rows among themselves, whatever else sits beside them.
  const query: Record<string, string> = {};
  for (let i = 0; i < count.length; i++) {
    for (const [name, spec] of Object.entries(fields)) query[`${i}|${name}`] = `${nthRow(rows, i + 1)} ${spec}`;
  }
  const found = await ctx.selectHtml(html, query);
  return count.map((_, i) => {
    const row = {} as Record<string, string | undefined>;
    for (const name of Object.keys(fields)) row[name] = found[`${i}|${name}`]?.[0];
    const missing = required.filter((name) => row[name] === undefined || row[name]!.trim() === '');
    if (missing.length > 0) throw pageChanged(ctx, site, `row ${i + 1} of "${rows}" has no ${missing.join(', ')}`);
    return row as Row<F>;
  });
}

/** 'ul.list > li' and 3 -> 'ul.list > :nth-child(3 of li)'. */
function nthRow(rows: string, n: number): string {
  const cut = Math.max(rows.lastIndexOf('>'), rows.lastIndexOf(' '));
  const scope = rows.slice(0, cut + 1);
  const last = rows.slice(cut + 1).trim();
  return `${scope}:nth-child(${n} of ${last})`;
}

// ---------------------------------------------------------------------------------------------
// Forms

/**
 * Sends what rails-ujs sends for a `data-method` link: POST with `_method` and the authenticity
 * token. Resolves when Rails accepted it (its answer to a form is a redirect); the engine checks
 * what actually changed by listing again.
 */
export async function submitRailsForm(ctx: ConnectorContext, site: RailsSite, path: string, method: 'delete' | 'post', token: RailsToken): Promise<'done' | 'gone'> {
  // What rails-ujs sends (the same rule "Any site" follows for a site's own sign-out link); a
  // plain POST needs no override.
  const { _method, ...csrf } = railsMethodFields(method, token);
  const form: Record<string, string> = method === 'post' ? csrf : { _method: _method!, ...csrf };
  const res = await ctx.fetch(`${site.base}${path}`, { method: 'POST', form, headers: { accept: 'text/html' }, redirect: 'manual' });
  const s = res.status;
  const detail = `HTTP ${s || 'redirect'} ${method.toUpperCase()} ${path}`;
  // Rails answers a form with a redirect, which a browser hides (status 0) and Node shows. Where it
  // points says nothing reliable (a sign-out lands on the sign-in page too): the engine lists again.
  if (s === 0 || (s >= 200 && s < 400)) return 'done';
  if (s === 404) return 'gone';
  if (s === 422) {
    throw connectorError('forbidden', { key: 'connErr_railsCsrf', subs: [site.service, host(ctx)] }, detail);
  }
  if (s === 401) throw signedOut(ctx, site, detail);
  if (s === 403) throw connectorError('forbidden', { key: 'connErr_refusedAt', subs: [site.service, host(ctx)] }, detail);
  if (s >= 500) throw connectorError('server', { key: 'connErr_serverAt', subs: [site.service, host(ctx), String(s)] }, detail);
  throw connectorError('server', { key: 'connErr_railsNotDone', subs: [site.service, host(ctx), String(s)] }, `${detail}: ${excerpt(await res.text().catch(() => ''))}`);
}

/** The token a page carried, or "page changed": every signed-in Rails page has one. */
export function requireToken(ctx: ConnectorContext, site: RailsSite, page: { token?: RailsToken }): RailsToken {
  if (!page.token) throw pageChanged(ctx, site, 'no <meta name="csrf-token"> on the page');
  return page.token;
}

/**
 * Ends several things one request at a time; after the first, a failure says how many had ended.
 */
export async function endEach<T>(items: readonly T[], end: (item: T) => Promise<unknown>): Promise<void> {
  for (const [i, item] of items.entries()) {
    try {
      await end(item);
    } catch (e) {
      if (i === 0 || !(e instanceof ConnectorError)) throw e;
      throw connectorError(e.kind, { key: 'connErr_endedThen', subs: [i, items.length, failureText(e)] }, e.detail);
    }
  }
}
