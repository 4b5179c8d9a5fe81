import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';
import { publicSuffixList } from './scripts/public-suffix-list';

// Two projects: fast unit tests (Node, happy-dom where a file asks for it) and
// end-to-end tests that drive Debian's Chromium with the built extension.
export default defineConfig({
  plugins: [preact(), publicSuffixList()],
  define: { __BROWSER__: JSON.stringify('chrome'), __E2E__: 'false' },
  test: {
    projects: [
      {
        extends: true,
        // Connector cases run against real servers (better-auth, scrypt imports): 5 s is too tight
        // when the machine's two cores are busy; a slow test still fails, just not on noise.
        test: { name: 'unit', include: ['test/unit/**/*.test.{ts,tsx}'], environment: 'node', testTimeout: 20_000 },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // One browser at a time: the machine has two cores and Chromium wants both.
          fileParallelism: false,
        },
      },
    ],
  },
});
