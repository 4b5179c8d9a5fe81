// A measurement, not product code (bench/startup-experiment.ts): the least a popup start-up can do
// to paint its first sessions. A classic script with no polyfill, framework or shared chunk: it
// reads the accounts and their cached sessions from the sessions database (as src/sessions/db.ts
// readAccountsWithCache, one transaction) and the connector views from storage.session (as
// src/popup/local-overview.ts), then writes account groups until 15 sessions are shown, with the
// popup's classes, and marks the frame that paints them as the popup does. No error paths.
(function () {
  performance.mark('x:start');
  const request = indexedDB.open('revoke-sessions');
  const db = new Promise((res, rej) => { request.onsuccess = () => res(request.result); request.onerror = () => rej(request.error); });
  const views = chrome.storage.session.get('connectorViews');
  db.then(() => performance.mark('x:db'));
  views.then(() => performance.mark('x:key'));
  const all = (tx, store) => new Promise((res, rej) => { const r = tx.objectStore(store).getAll(); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
  const el = (tag, cls, text) => { const e = document.createElement(tag); e.className = cls; if (text !== undefined) e.textContent = text; return e; };
  Promise.all([db, views]).then(async ([db]) => {
    const tx = db.transaction(['accounts', 'cache', 'watch'], 'readonly');
    const [accounts, cache] = await Promise.all([all(tx, 'accounts'), all(tx, 'cache'), all(tx, 'watch')]);
    performance.mark('x:records');
    db.close();
    const byId = new Map(cache.map((c) => [c.accountId, c]));
    accounts.sort((a, b) => a.linkedAt - b.linkedAt);
    const main = document.createElement('main');
    let shown = 0;
    for (const account of accounts) {
      if (shown >= 15) break;
      const section = el('section', 'account-group');
      section.append(el('h2', 'site wrap', account.label));
      const list = el('ul', 'session-list');
      for (const s of byId.get(account.id)?.result?.sessions ?? []) {
        const li = el('li', 'session');
        const button = el('button', 'session-main');
        button.append(el('span', 'ellipsis', `${s.browser} on ${s.os}`), el('span', 'muted small', s.ip));
        li.append(button);
        list.append(li);
        shown++;
      }
      section.append(list);
      main.append(section);
    }
    const put = () => document.getElementById('app').append(main);
    if (document.getElementById('app')) put();
    else document.addEventListener('DOMContentLoaded', put);
    requestAnimationFrame(() => performance.mark('revoke:sessions-painted', { detail: shown }));
  });
})();
