// A measurement, not product code (bench/startup-experiment.ts): the least a popup start-up can do
// to paint its first codes. A classic script with no polyfill, no framework and no shared chunks:
// it reads the data key from storage.session and the encrypted records from IndexedDB, decrypts
// them (AES-GCM, AAD `revoke/entry/v1/<id>`, as src/vault/crypto.ts), sorts by position, computes
// 15 TOTP codes (HMAC-SHA1 by WebCrypto) and writes 15 rows with the popup's classes, then marks
// the frame that paints them as the popup does. It assumes an unlocked vault of TOTP entries:
// no locked state, no HOTP or Steam, no error paths. `x:` marks time each step.
// With data-entry="<module>", it then loads the real popup (the "deferred" variant).
(function () {
  performance.mark('x:start');
  const entry = document.currentScript && document.currentScript.dataset.entry;
  const request = indexedDB.open('revoke');
  const db = new Promise((res, rej) => { request.onsuccess = () => res(request.result); request.onerror = () => rej(request.error); });
  const key = chrome.storage.session.get('vaultKey');
  db.then(() => performance.mark('x:db'));
  key.then(() => performance.mark('x:key'));
  const base32 = (s) => {
    const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    let bits = 0, v = 0;
    const out = [];
    for (const c of s.replace(/=+$/, '')) {
      v = (v << 5) | A.indexOf(c);
      bits += 5;
      if (bits >= 8) { out.push((v >>> (bits - 8)) & 255); bits -= 8; }
    }
    return new Uint8Array(out);
  };
  const span = (cls, text) => { const s = document.createElement('span'); s.className = cls; s.textContent = text; return s; };
  Promise.all([db, key]).then(async ([db, stored]) => {
    const raw = Uint8Array.from(atob(stored.vaultKey), (c) => c.charCodeAt(0));
    const dataKey = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['decrypt']);
    const records = await new Promise((res, rej) => {
      const r = db.transaction('entries').objectStore('entries').getAll();
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    performance.mark('x:records');
    db.close();
    const enc = new TextEncoder(), dec = new TextDecoder();
    const entries = await Promise.all(records.map(async (r) => ({
      id: r.id,
      ...JSON.parse(dec.decode(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: r.iv, additionalData: enc.encode('revoke/entry/v1/' + r.id) }, dataKey, r.ciphertext))),
    })));
    performance.mark('x:decrypted');
    entries.sort((a, b) => a.position - b.position);
    const first = entries.slice(0, 15);
    const now = Date.now();
    const codes = await Promise.all(first.map(async (e) => {
      const hmacKey = await crypto.subtle.importKey('raw', base32(e.secret), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
      const counter = new DataView(new ArrayBuffer(8));
      counter.setUint32(4, Math.floor(now / 1000 / e.period));
      const h = new Uint8Array(await crypto.subtle.sign('HMAC', hmacKey, counter.buffer));
      const o = h[19] & 15;
      return String((((h[o] & 127) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3]) % 10 ** e.digits).padStart(e.digits, '0');
    }));
    performance.mark('x:codes');
    const ul = document.createElement('ul');
    ul.className = 'codes';
    first.forEach((e, i) => {
      const li = document.createElement('li');
      li.className = 'entry';
      const button = document.createElement('button');
      button.className = 'code';
      const names = document.createElement('span');
      names.className = 'names';
      names.append(span('issuer', e.issuer), span('account', e.account));
      button.append(names, span('otp', codes[i]));
      li.append(button);
      ul.append(li);
    });
    const put = () => document.getElementById('app').append(ul);
    if (document.getElementById('app')) put();
    else document.addEventListener('DOMContentLoaded', put);
    requestAnimationFrame(() => {
      performance.mark('revoke:codes-painted');
      if (!entry) return;
      const script = document.createElement('script');
      script.type = 'module';
      script.src = entry;
      document.head.append(script);
    });
  });
})();
