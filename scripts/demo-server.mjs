// A small local "service" for trying Revoke: a two-step sign-in setup page
// that shows an otpauth:// link and checks the code you type back.
// Serves on 127.0.0.1 only. Usage: node scripts/demo-server.mjs [port]
import { createServer } from 'node:http';
import { createHmac } from 'node:crypto';
import { renderSVG } from 'uqr';

const SECRET = 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU';
const ISSUER = 'Revoke Demo';
const ACCOUNT = 'newcomer@demo.test';
const URI = `otpauth://totp/${encodeURIComponent(ISSUER)}:${encodeURIComponent(ACCOUNT)}?secret=${SECRET}&issuer=${encodeURIComponent(ISSUER)}`;

function totp(secret, t) {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = [...secret].map((c) => A.indexOf(c).toString(2).padStart(5, '0')).join('');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(Math.floor(t / 30000)));
  const h = createHmac('sha1', key).update(msg).digest();
  const o = h[19] & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1e6).padStart(6, '0');
}

const page = (body) => `<!doctype html><meta charset=utf-8><meta name=color-scheme content="light dark">
<title>${ISSUER}</title><style>body{font:15px/1.5 system-ui,sans-serif;max-width:560px;margin:40px auto;padding:0 16px}
code{word-break:break-all;display:block;padding:10px;background:#8882;border-radius:6px}
.qr{display:inline-block;width:200px;padding:12px;background:#fff;border-radius:8px}
.qr svg{display:block;width:100%;height:auto}</style>${body}`;

// The QR code a site shows for two-step sign-in: dark modules on white in either colour scheme,
// so Revoke's "Scan the QR code on this page" (and any phone app) can read it.
const QR = renderSVG(URI, { border: 2, whiteColor: '#ffffff', blackColor: '#000000' });

export function startDemoServer(port = 8787) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname === '/verify') {
      const code = url.searchParams.get('code') ?? '';
      const now = Date.now();
      const ok = [-30000, 0, 30000].some((d) => totp(SECRET, now + d) === code.replace(/\s/g, ''));
      res.writeHead(ok ? 200 : 401, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(page(ok ? '<h1>Signed in ✔</h1><p>The code from Revoke was right.</p><a href="/">Back</a>'
        : '<h1>Wrong code</h1><p>That code is not valid now.</p><a href="/">Try again</a>'));
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page(`<h1>${ISSUER}: turn on two-step sign-in</h1>
<p>1. Open Revoke from the toolbar, create your vault password, choose <b>Add a code</b>, then
<b>Scan QR code on this page</b>:</p>
<div class="qr" role="img" aria-label="QR code of the two-step sign-in key">${QR}</div>
<p>Or paste this link instead:</p>
<code id="otpauth">${URI}</code>
<p>2. Type the 6-digit code Revoke shows (click it to copy):</p>
<form action="/verify"><input name="code" inputmode="numeric" autocomplete="one-time-code" autofocus> <button>Verify</button></form>`));
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.argv[2] ?? 8787);
  await startDemoServer(port);
  console.log(`demo service on http://127.0.0.1:${port}/`);
}
