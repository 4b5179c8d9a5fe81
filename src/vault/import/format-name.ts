/** An export format's name in the browser's language ("Aegis, verschlüsselt"). */
import { t } from '../../i18n/t';
import type { ImportFormat } from './types';

export const formatName = (format: ImportFormat): string =>
  format.encrypted ? t('words_encryptedFormat', t(format.name)) : t(format.name);
