/**
 * What the browser's `runtime.onInstalled` opens. A first install shows the welcome page; an update
 * (or a browser update) opens nothing: people who already use Revoke are not interrupted.
 */
export type InstallReason = 'install' | 'update' | 'browser_update' | 'chrome_update' | 'shared_module_update' | string;

export function pagesOnInstalled(reason: InstallReason, build: { e2eFirefox: boolean }): string[] {
  // Firefox refuses test drivers' navigation to moz-extension:// pages, so its test build opens
  // its own popup page in a tab instead, for the test to find (absent from real builds).
  if (build.e2eFirefox) return ['popup.html'];
  return reason === 'install' ? ['welcome.html'] : [];
}
