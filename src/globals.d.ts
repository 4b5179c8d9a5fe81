/** Set by vite.config.ts at build time; 'chrome' under vitest. */
declare const __BROWSER__: 'chrome' | 'firefox';
