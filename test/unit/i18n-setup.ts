// Unit tests run outside the browser: their pages and handlers read the English messages file.
import { setMessageSource } from '../../src/i18n/t';
import { messageSource } from '../../src/i18n/messages-file';
import en from '../../_locales/en/messages.json';

setMessageSource(messageSource(en, 'en'));
