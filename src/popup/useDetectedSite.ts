/**
 * The site of the tab behind the popup, when a connector recognises it and no account there is
 * linked (the background reads the page: src/connectors/detect.ts). Asked from an effect, which
 * Preact runs after the frame is painted: detection never delays the popup's first paint.
 */
import { useEffect, useState } from 'preact/hooks';
import type { DetectedSite } from '../connectors/detect';
import { call } from '../ui/client';

export function useDetectedSite(): DetectedSite | null {
  const [site, setSite] = useState<DetectedSite | null>(null);
  useEffect(() => {
    let live = true;
    // Nothing to offer is the answer to any failure here: the rest of the popup does not depend on it.
    call('accounts/detect', null).then((s) => live && setSite(s), () => undefined);
    return () => {
      live = false;
    };
  }, []);
  return site;
}
