/**
 * Loads a component's module on first render (or earlier, if `load` was already
 * called): what a person may never open stays out of the popup's start-up files.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n/t';

export function lazyComponent<P>(load: () => Promise<ComponentType<P>>) {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  const start = () => (pending ??= load().then((c) => (loaded = c)));
  function Lazy(props: P & { fallback?: preact.ComponentChildren }) {
    const [Comp, setComp] = useState<ComponentType<P> | null>(() => loaded);
    const [error, setError] = useState('');
    useEffect(() => {
      if (!Comp) start().then((c) => setComp(() => c), (e) => setError(String(e)));
    }, []);
    if (error) return <p class="error pad" role="alert">{t('lazy_failed', error)}</p>;
    return Comp ? <Comp {...props} /> : <>{props.fallback ?? null}</>;
  }
  return Object.assign(Lazy, { preload: start });
}
