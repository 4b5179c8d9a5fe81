import { useState } from 'preact/hooks';
import { errorText } from './client';

/**
 * The busy flag and error message every form needs around one async action:
 * `run` clears the error, marks busy, and turns a throw into the message shown.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  async function run(action: () => Promise<void>, onError?: () => void): Promise<void> {
    setBusy(true);
    setError('');
    try {
      await action();
    } catch (e) {
      setError(errorText(e));
      onError?.();
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, setError, run };
}
