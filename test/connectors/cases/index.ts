/** Every connector's cases, by connector id (test/unit/registry.test.ts holds every connector to having some). */
import type { ConnectorCase } from './types';
import { cases as betterAuth } from './better-auth';
import { cases as discourse } from './discourse';
import { cases as generic } from './generic';
import { cases as gitlab } from './gitlab';
import { cases as mastodon } from './mastodon';
import { cases as matrix } from './matrix';
import { cases as nextcloud } from './nextcloud';
import { cases as wordpress } from './wordpress';
import { cases as oidc } from './oidc';

export type { CaseStep, ConnectorCase } from './types';

export const casesByConnector: Readonly<Record<string, ConnectorCase[]>> = {
  'better-auth': betterAuth,
  discourse,
  generic,
  gitlab,
  mastodon,
  matrix,
  nextcloud,
  wordpress,
  oidc,
};
