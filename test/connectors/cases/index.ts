/** Every connector's cases, by connector id (test/unit/registry.test.ts holds every connector to having some). */
import type { ConnectorCase } from './types';
import { cases as betterAuth } from './better-auth';
import { cases as discourse } from './discourse';
import { cases as generic } from './generic';
import { cases as github } from './github';
import { cases as gitlab } from './gitlab';
import { cases as google } from './google';
import { cases as mastodon } from './mastodon';
import { cases as matrix } from './matrix';
import { personalCases as microsoft, workCases as microsoftWork } from './microsoft';
import { cases as nextcloud } from './nextcloud';
import { cases as wordpress } from './wordpress';
import { cases as oidc } from './oidc';
import { cases as keycloak } from './keycloak';
import { cases as kratos } from './kratos';
import { cases as authentik } from './authentik';

export type { CaseStep, ConnectorCase } from './types';

export const casesByConnector: Readonly<Record<string, ConnectorCase[]>> = {
  'better-auth': betterAuth,
  discourse,
  generic,
  github,
  gitlab,
  google,
  mastodon,
  matrix,
  microsoft,
  'microsoft-work': microsoftWork,
  nextcloud,
  wordpress,
  oidc,
  keycloak,
  kratos,
  authentik,
};
