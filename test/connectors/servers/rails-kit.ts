/**
 * The parts of Rails that loopback Rails apps (Discourse, Mastodon, GitLab) share, as read in
 * rails/rails actionpack (request_forgery_protection.rb, csrf_helper.rb) and rack
 * (method_override.rb):
 *
 * - The CSRF secret lives in the session; pages carry it masked with a fresh one-time pad
 *   (base64 of pad + secret XOR pad), so every page load shows a different token.
 * - `verified_request?`: a safe method, or a token that unmasks to the secret, given in the
 *   `authenticity_token` form field or the `X-CSRF-Token` header; and (forgery_protection_
 *   origin_check) an Origin header, when sent, equal to the app's own origin.
 * - Rack::MethodOverride: a form POST with `_method=delete` (or patch, put) is that method.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';

export function maskToken(secret: Buffer): string {
  const pad = randomBytes(secret.length);
  const xored = Buffer.from(secret.map((b, i) => b ^ pad[i]!));
  return Buffer.concat([pad, xored]).toString('base64');
}

export function unmaskMatches(masked: string, secret: Buffer): boolean {
  const raw = Buffer.from(masked, 'base64');
  if (raw.length !== secret.length * 2) return false;
  const pad = raw.subarray(0, secret.length);
  const real = Buffer.from(raw.subarray(secret.length).map((b, i) => b ^ pad[i]!));
  return timingSafeEqual(real, secret);
}

export function readCookie(req: http.IncomingMessage, name: string): string | undefined {
  const m = new RegExp(`(?:^|;\\s*)${name}=([^;]*)`).exec(req.headers.cookie ?? '');
  return m?.[1] ? decodeURIComponent(m[1]) : undefined;
}

/** A form body (or a JSON one, flattened to strings). */
export async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  if ((req.headers['content-type'] ?? '').includes('application/json')) {
    const json = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    return new URLSearchParams(Object.entries(json).map(([k, v]) => [k, String(v)]));
  }
  return new URLSearchParams(body);
}

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The request's method after Rack::MethodOverride, and its form (read once). */
export async function railsRequest(req: http.IncomingMessage): Promise<{ method: string; form: URLSearchParams }> {
  const method = req.method ?? 'GET';
  const form = method === 'GET' || method === 'HEAD' ? new URLSearchParams() : await readForm(req);
  const override = form.get('_method')?.toUpperCase();
  return { method: method === 'POST' && override && ['DELETE', 'PATCH', 'PUT'].includes(override) ? override : method, form };
}

/** ActionController's verified_request? with the origin check Rails enables by default. */
export function verifiedRequest(req: http.IncomingMessage, method: string, form: URLSearchParams, secret: Buffer, origin: string): boolean {
  if (method === 'GET' || method === 'HEAD') return true;
  if (req.headers.origin !== undefined && req.headers.origin !== origin) return false;
  const header = req.headers['x-csrf-token'];
  const given = typeof header === 'string' ? header : form.get('authenticity_token');
  return typeof given === 'string' && given !== '' && unmaskMatches(given, secret);
}

/** csrf_meta_tags, as every signed-in layout renders them. */
export const csrfMetaTags = (secret: Buffer) =>
  `<meta name="csrf-param" content="authenticity_token" />\n<meta name="csrf-token" content="${maskToken(secret)}" />`;
