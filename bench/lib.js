// Shared by the HTTP benchmarks: free loopback ports, waiting for a server, SigV4-signed form requests (AWS's
// own signer), and a keep-alive sender.
import http from 'node:http';
import net from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';

export const freePort = () => new Promise((ok) => {
  const s = net.createServer();
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
});

export async function waitUntilUp(url) {
  for (let i = 0; i < 300; i++) {
    try { await fetch(url); return; } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  throw new Error(`${url} did not come up`);
}

/** A signed POST of form parameters: { headers, body }, replayable for 15 minutes. */
export async function signRequest(endpoint, creds, service, params) {
  const url = new URL(endpoint);
  const signer = new SignatureV4({ credentials: creds, service, region: 'us-east-1', sha256: Hash.bind(null, 'sha256') });
  const body = new URLSearchParams(params).toString();
  const req = await signer.sign({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', query: {}, headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body });
  return { headers: { ...req.headers, 'content-length': Buffer.byteLength(body) }, body };
}

export const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** Send a signed request; resolves { status, text }. A kept-alive socket the server closed meanwhile is retried once. */
export async function sendOnce(endpoint, req) {
  try {
    return await send(endpoint, req);
  } catch (e) {
    if (e.code !== 'ECONNRESET') throw e;
    return send(endpoint, req);
  }
}

function send(endpoint, req) {
  const url = new URL(endpoint);
  return new Promise((ok, fail) => {
    const r = http.request({ host: url.hostname, port: url.port, method: 'POST', path: '/', headers: req.headers, agent }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => ok({ status: res.statusCode, text }));
    });
    r.on('error', fail);
    r.end(req.body);
  });
}
