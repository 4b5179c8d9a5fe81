/**
 * One IndexedDB connection shared by every caller, opened on first use. It is opened again after
 * it was closed (another context opened a newer schema version, or the browser closed it), and a
 * failed open is not remembered: the next call tries again.
 */
import type { IDBPDatabase } from 'idb';

export interface SharedConnection<Db> {
  get(): Promise<Db>;
  /** Closes the connection if one is open; the next `get` opens a new one. */
  close(): Promise<void>;
}

// `any`: a database of any schema; only its events and close() are used.
export function sharedConnection<Db extends IDBPDatabase<any>>(open: () => Promise<Db>): SharedConnection<Db> {
  let connection: Promise<Db> | null = null;
  const get = (): Promise<Db> => {
    if (!connection) {
      const opening = open().then((db) => {
        const forget = () => {
          if (connection === opening) connection = null;
        };
        db.addEventListener('versionchange', forget);
        db.addEventListener('close', forget);
        return db;
      });
      opening.catch(() => {
        if (connection === opening) connection = null;
      });
      connection = opening;
    }
    return connection;
  };
  return {
    get,
    async close() {
      const closing = connection;
      connection = null;
      if (closing) (await closing.catch(() => null))?.close();
    },
  };
}
