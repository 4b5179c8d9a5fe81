/** Set by vite.config.ts at build time; 'chrome' under vitest. */
declare const __BROWSER__: 'chrome' | 'firefox';
/** True only in the end-to-end test builds (dist-e2e*). */
declare const __E2E__: boolean;
/** The public-suffix list, encoded at build time (scripts/public-suffix-list.ts). */
declare module 'virtual:public-suffix-list' {
  const encoded: string;
  export default encoded;
}
