/** The authenticator's domain types. No browser or UI code may be imported here. */

export type OtpType = 'totp' | 'hotp' | 'steam';
export type OtpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

/** What the user (or an import) supplies; normalised and validated by `validateEntryInput`. */
export interface EntryInput {
  type: OtpType;
  /** Base32, upper case, no padding, no spaces. */
  secret: string;
  algorithm: OtpAlgorithm;
  /** 6-8 for totp/hotp; always 5 for steam. */
  digits: number;
  /** Seconds, totp and steam only (steam is always 30). */
  period: number;
  /** hotp only: the counter of the next code to show. */
  counter: number;
  issuer: string;
  account: string;
  note: string;
  /** Registrable domain the entry belongs to ("github.com"), used to list it first on that site. */
  site: string;
}

/** A stored entry: input plus identity and placement. */
export interface OtpEntry extends EntryInput {
  id: string;
  pinned: boolean;
  /** Sort key inside its group (pinned first, then by position). */
  position: number;
  createdAt: number;
  updatedAt: number;
}

/** Result of parsing user input: either an entry or a reason a person can act on. */
export type ParseResult =
  | { ok: true; entry: EntryInput; warnings: string[] }
  | { ok: false; error: string };

/** What changePassword did. */
export interface PasswordChange {
  /** How many entries were re-encrypted under a new data key; null when only the key was re-wrapped. */
  reencrypted: number | null;
  /** Ids of records that do not decrypt, left exactly as they were (re-encrypting needs the plaintext). */
  keptDamaged: string[];
}

/** What the vault holds, as a page shows it. */
export interface VaultList {
  /** Every readable entry, pinned first, then by position. */
  entries: OtpEntry[];
  /** Ids of records that exist but fail to decrypt or check (tampered or damaged), sorted. */
  corrupt: string[];
}
