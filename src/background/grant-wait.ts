/**
 * Waiting in the background for a host permission the popup is asking the person for. In Firefox
 * the permission prompt can close the popup, and with it the script that would go on to link the
 * site: so the popup sends its link request together with the prompt, and the background finishes
 * the link once the grant arrives (or gives up after a while), whether or not the popup lives.
 */
export interface PermissionEvents {
  contains(pattern: string): Promise<boolean>;
  /** Subscribes to grants; returns the unsubscribe. */
  onAdded(listener: () => void): () => void;
}

export function createGrantWaiter(api: PermissionEvents) {
  /** One wait per pattern: a newer click on the same site supersedes the older wait. */
  const waiting = new Map<string, () => void>();

  return function whenGranted(pattern: string, withinMs: number): Promise<boolean> {
    waiting.get(pattern)?.();
    return new Promise<boolean>((resolve) => {
      let done = false;
      const finish = (granted: boolean) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        unsubscribe();
        if (waiting.get(pattern) === supersede) waiting.delete(pattern);
        resolve(granted);
      };
      const check = () => void api.contains(pattern).then((has) => has && finish(true), () => undefined);
      const supersede = () => finish(false);
      const timer = setTimeout(() => finish(false), withinMs);
      const unsubscribe = api.onAdded(check);
      waiting.set(pattern, supersede);
      check();
    });
  };
}
