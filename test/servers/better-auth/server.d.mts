/** Types for server.mjs (kept in .mjs so it runs with plain `node`, outside the project's tsconfig). */

export interface SessionRow {
  id: string;
  token: string;
  userId: string;
  email: string;
  ipAddress: string | null;
  userAgent: string | null;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
}

export interface BetterAuthTestServer {
  /** The app's origin, e.g. http://127.0.0.1:40123 (same as `origin`). */
  url: string;
  origin: string;
  /** The auth API's base URL: `${origin}/api/auth`. */
  baseURL: string;
  /** The better-auth instance, for tests that need its server API. */
  auth: unknown;
  /**
   * Holds requests to an API path (under baseURL, e.g. '/revoke-sessions') for `ms` before handling
   * them, even if the client has gone away by then; 0 stops holding them.
   */
  delayPath(path: string, ms: number): void;
  createUser(email: string, password: string, name?: string): Promise<{ id: string; email: string }>;
  /** Signs in from a "device"; returns the Cookie header value that device now sends. */
  signIn(email: string, password: string, userAgent?: string, ip?: string): Promise<string>;
  enableTwoFactor(cookie: string, password: string): Promise<{ totpURI: string; backupCodes: string[] }>;
  /** Confirms TOTP enrolment; returns the rotated session's cookie. */
  verifyTotp(cookie: string, code: string): Promise<string>;
  listSessionsDirect(email?: string): SessionRow[];
  makeSessionsStale(): void;
  /** Backdates createdAt and updatedAt of the sessions with this user agent by `ms`; returns how many. */
  ageSessions(userAgent: string, ms: number): number;
  reset(): void;
  close(): Promise<void>;
}

export function startBetterAuth(options?: { port?: number; dbFile?: string; verbose?: boolean; cookiePrefix?: string }): Promise<BetterAuthTestServer>;

export const DEMO_USER: { email: string; password: string };
export const DEMO_DEVICES: { userAgent: string; ip: string }[];
