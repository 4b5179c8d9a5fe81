/**
 * Caps on what an import reads. The largest real exports are a few hundred kilobytes (a thousand
 * entries with icons); 20 MiB leaves two orders of magnitude of room while keeping a hostile file
 * from holding the options page for long. Measured: 100,000 entries (about 15 MB of JSON) import
 * in well under the 5 s budget, so the number of entries is not capped separately.
 */
export const IMPORT_LIMITS = {
  /** Bytes for binary input; UTF-16 code units for a string (which is at least as many bytes). */
  maxBytes: 20 * 1024 * 1024,
  /** Real exports nest 6 levels at most; deeper JSON is refused before it is parsed. */
  maxJsonDepth: 64,
} as const;

export const MAX_IMPORT_MEGABYTES = IMPORT_LIMITS.maxBytes / (1024 * 1024);
