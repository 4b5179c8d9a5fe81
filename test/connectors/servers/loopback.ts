/**
 * A stand-in's listening socket: a port the OS picks on a loopback address (so parallel workers
 * and other engineers' tests never collide), over HTTP, or over HTTPS for end-to-end tests that
 * map a real host name to it (accounts.google.com, github.com, ...).
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

/** PEM key and certificate for the HTTPS stand-ins. */
export interface TlsFiles {
  key: string;
  cert: string;
}

export interface Loopback {
  origin: string;
  /** Closes the server, open keep-alive connections included (close() alone waits for them). */
  close(): Promise<void>;
}

/**
 * `host`: the loopback address to listen on (127.0.0.1 unless told; 127.0.0.2 etc. give a second
 * site its own cookies). `siteHost`: the name the origin carries instead, for tests that map a
 * made-up host name to the address.
 */
export async function listenOnLoopback(
  handler: http.RequestListener, opts: { tls?: TlsFiles; host?: string; siteHost?: string } = {},
): Promise<Loopback> {
  const host = opts.host ?? '127.0.0.1';
  const server = opts.tls ? https.createServer(opts.tls, handler) : http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    origin: `${opts.tls ? 'https' : 'http'}://${opts.siteHost ?? host}:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
