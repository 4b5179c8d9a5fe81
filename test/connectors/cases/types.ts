/**
 * The cases connectors are tested with, kept out of the extension (test/connectors/cases/<connector>.ts,
 * listed by connector id in ./index.ts) and run by test/connectors/harness.ts.
 */
import type { FailureKind, Session, WhoAmI } from '../../../src/connectors/types';

/**
 * One test case of a connector. `server` names a loopback server the harness
 * starts (a real one like better-auth, or one written from the service's
 * source); `steps` drive the connector and state what must come out.
 */
export interface ConnectorCase {
  name: string;
  server: string;
  steps: CaseStep[];
}

export type CaseStep =
  | { do: 'whoami'; expect: WhoAmI | null | { error: FailureKind } }
  | { do: 'list'; expect: { count?: number; currentCount?: number; unlisted?: unknown; hidden?: unknown; match?: Partial<Record<keyof Session, unknown>>[] } | { error: FailureKind } }
  | { do: 'revoke'; target: 'others' | 'all' | { pick: 'first-other' | 'current' }; password?: string; expect: 'ok' | { error: FailureKind } | { proof: 'refused' | 'accepted' | 'unchecked'; seen?: string } }
  /** signIn with the server's case user and `password` (the right one unless given). */
  | { do: 'sign-in'; user?: string; password?: string; expect: 'ok' | { error: FailureKind } }
  | { do: 'server'; action: string; args?: Record<string, unknown> }
  /** resolveInstance from the server's origin + `typed`; 'instance' expects the server's real instance URL (used from then on). */
  | { do: 'resolve'; typed: string; expect: 'instance' | { error: FailureKind } };

