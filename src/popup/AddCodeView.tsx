/** The popup's "Add a code": scan the page's QR code, paste a link, or type the secret. */
import type { OtpEntry } from '../vault/types';
import { AddEntry } from '../ui/EntryForm';
import { addedText, entryTitle } from '../ui/entry-view';
import { ScanTab } from './ScanTab';
import { formatList, t } from '../i18n/t';

export function AddCodeView({ host, onAdded, onCancel }: {
  host: string | null;
  onAdded: (entries: OtpEntry[], message: string) => void;
  onCancel: () => void;
}) {
  return (
    <div class="pad">
      <h1 style="margin-bottom:10px">{t('codes_add')}</h1>
      <ScanTab onAdded={(added) => onAdded(added, t('codes_addedFromQr', formatList(added.map(entryTitle))))} />
      <AddEntry
        initialSite={host?.replace(/^www\./, '') ?? ''}
        onCancel={onCancel}
        onSaved={({ entry, warnings }) => onAdded([entry], addedText(entry, warnings))}
      />
    </div>
  );
}
