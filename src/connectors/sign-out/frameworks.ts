/**
 * What the common web frameworks' sign-out controls carry, read from a page the way their own
 * front-end code reads it. Kept apart so that connectors which speak Rails or Django forms share it.
 *
 * Rails (read: rails/rails actionview/app/assets/javascripts/rails-ujs/features/method.coffee and
 * its later JavaScript form, `handleMethod`; actionpack/lib/action_controller/metal/
 * request_forgery_protection.rb): a link `<a data-method="delete" href="/users/sign_out">` is not
 * followed; rails-ujs builds a POST form to its href with a hidden `_method` (the verb, which
 * Rack::MethodOverride turns into DELETE) and, for a same-origin href, a hidden field named by
 * `<meta name="csrf-param">` (default `authenticity_token`) holding `<meta name="csrf-token">`.
 * Without a valid token `protect_from_forgery with: :exception` raises
 * InvalidAuthenticityToken, which Rails answers with 422. Turbo's `data-turbo-method` is the same
 * request with the token in a header instead; the form field is accepted as well.
 *
 * Django (read: django/contrib/auth/views.py LogoutView, django/middleware/csrf.py
 * CsrfViewMiddleware): since 5.0 LogoutView answers only POST (GET is 405), and CsrfViewMiddleware
 * wants the `csrfmiddlewaretoken` form field (or the X-CSRFToken header) to match the `csrftoken`
 * cookie, and a present Origin to be the site's own; otherwise 403. The field is a hidden input of
 * the logout form itself, so sending the form's own hidden fields is all it takes.
 */

export const RAILS_DEFAULT_CSRF_PARAM = 'authenticity_token';

export interface PageCsrf {
  param: string;
  token: string;
}

/** The page's Rails CSRF meta tags (name -> content of every <meta name>), or null when it has none. */
export function railsCsrf(metas: ReadonlyMap<string, string>): PageCsrf | null {
  const token = metas.get('csrf-token');
  if (!token) return null;
  return { param: metas.get('csrf-param') || RAILS_DEFAULT_CSRF_PARAM, token };
}

/** The verb of a Rails/Turbo method link ("delete"), or null for a plain link. */
export function railsLinkMethod(attrs: Readonly<Record<string, string>>): string | null {
  const method = (attrs['data-method'] ?? attrs['data-turbo-method'] ?? '').trim().toLowerCase();
  return /^(delete|post|put|patch)$/.test(method) ? method : null;
}

/** The form rails-ujs would submit for a method link: `_method` and, when the page has one, its CSRF field. */
export function railsMethodFields(method: string, csrf: PageCsrf | null): Record<string, string> {
  const fields: Record<string, string> = { _method: method };
  if (csrf) fields[csrf.param] = csrf.token;
  return fields;
}
