/**
 * How far this computer's clock is from a server's, from the Date header of a
 * response. TOTP codes are refused when the clock is off by more than a period
 * or so, and a wrong clock is the most common cause of "wrong code".
 */
export interface ClockSkew {
  /** Server time minus local time, ms (positive: this clock is behind). */
  ms: number;
  /** How much of that could be measurement error (Date has 1 s resolution, plus the round trip). */
  uncertaintyMs: number;
  host: string;
  at: number;
}

export function skewFromDate(dateHeader: string | null, sentAt: number, receivedAt: number, host: string): ClockSkew | null {
  if (!dateHeader) return null;
  const server = Date.parse(dateHeader);
  if (!Number.isFinite(server) || receivedAt < sentAt) return null;
  // The header names the whole second the response was made in: take its middle.
  const ms = server + 500 - (sentAt + receivedAt) / 2;
  return { ms, uncertaintyMs: 500 + (receivedAt - sentAt) / 2, host, at: receivedAt };
}

/** Worth telling the person: clearly off, beyond measurement error, and enough to break codes. */
export function skewWorthWarning(s: ClockSkew | null | undefined, thresholdMs = 15_000): boolean {
  return !!s && Math.abs(s.ms) - s.uncertaintyMs >= thresholdMs;
}

export function describeSkew(s: ClockSkew): string {
  const seconds = Math.round(Math.abs(s.ms) / 1000);
  const amount = seconds >= 120 ? `${Math.round(seconds / 60)} minutes` : `${seconds} seconds`;
  return `This computer’s clock is about ${amount} ${s.ms > 0 ? 'behind' : 'ahead'} (compared with ${s.host}). ` +
    'Sites may refuse the codes: set the clock to update automatically.';
}
