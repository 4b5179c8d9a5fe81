/** Types for server.mjs (kept in .mjs so it runs with plain `node`, outside the project's tsconfig). */

export declare const RP_CLIENT_ID: string;

export type OidcMode = 'discovery-missing' | 'discovery-garbled' | 'discovery-other-issuer' | 'no-logout' | 'logout-elsewhere' | 'keep-sessions' | 'spoil-next-xsrf';

export interface OidcProviderTestServer {
  /** The issuer, e.g. http://127.0.0.1:40123 (also its origin). */
  issuer: string;
  origin: string;
  /** The relying party's origin (another loopback address): /login starts its sign-in; / shows who is signed in there, with its sign-out. */
  rpOrigin: string;
  clientId: string;
  /** Bends the provider's answers for refusal and changed-page cases (see server.mjs). */
  modes: Set<OidcMode>;
  /** The provider's stored sessions with someone signed in; `id` is the `_session` cookie's value. */
  signedIn(): { id: string; accountId: string }[];
  /** Every stored session, signed in or not, with its logout xsrf secret (a secret: never shown). */
  sessions(): { id: string; accountId: string | null; xsrf: string | null }[];
  /** Signs a browser in through the RP, the provider's sign-in form and its consent page. */
  signInWith(browserFetch: (url: string, init: RequestInit) => Promise<Response>, login?: string): Promise<void>;
  /** Starts a sign-in at the RP and stops at the provider's sign-in form (nobody signed in). */
  startSignInWith(browserFetch: (url: string, init: RequestInit) => Promise<Response>): Promise<void>;
  /** The relying party's own sessions: the account of each. */
  rpSignedIn(): string[];
  reset(): void;
  close(): Promise<unknown>;
}

/** `rpHost`: the relying party's loopback address (default 127.0.0.2, apart from the provider's 127.0.0.1). */
export declare function startOidcProvider(opts?: { verbose?: boolean; rpHost?: string }): Promise<OidcProviderTestServer>;
