// Shared by the HTTP benchmarks: free loopback ports, waiting for a server, SigV4-signed form requests (AWS's
// own signer), and a keep-alive sender.
import http from 'node:http';
import net from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';

/** Access keys as the signer takes them. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** A signed form POST: its headers and body, replayable as they are. */
export interface SignedRequest {
  headers: Record<string, string | number>;
  body: string;
}

export const freePort = (): Promise<number> => new Promise((ok) => {
  const s = net.createServer();
  // listening on a TCP port: address() is an AddressInfo, not a pipe name
  s.listen(0, '127.0.0.1', () => { const { port } = s.address() as net.AddressInfo; s.close(() => ok(port)); });
});

export async function waitUntilUp(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try { await fetch(url); return; } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  throw new Error(`${url} did not come up`);
}

/** A signed POST of form parameters: { headers, body }, replayable for 15 minutes. */
export async function signRequest(endpoint: string, creds: Credentials, service: string, params: Record<string, string>): Promise<SignedRequest> {
  const url = new URL(endpoint);
  const signer = new SignatureV4({ credentials: creds, service, region: 'us-east-1', sha256: Hash.bind(null, 'sha256') });
  const body = new URLSearchParams(params).toString();
  const req = await signer.sign({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', query: {}, headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body });
  return { headers: { ...req.headers, 'content-length': Buffer.byteLength(body) }, body };
}

export const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** What a request got back. */
export interface Reply {
  status: number | undefined;
  text: string;
}

/** Send a signed request; resolves { status, text }. A kept-alive socket the server closed meanwhile is retried once. */
export async function sendOnce(endpoint: string, req: SignedRequest): Promise<Reply> {
  try {
    return await send(endpoint, req);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ECONNRESET') throw e; // http.request fails with a system error
    return send(endpoint, req);
  }
}

function send(endpoint: string, req: SignedRequest): Promise<Reply> {
  const url = new URL(endpoint);
  return new Promise((ok, fail) => {
    const r = http.request({ host: url.hostname, port: url.port, method: 'POST', path: '/', headers: req.headers, agent }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d; });
      res.on('end', () => ok({ status: res.statusCode, text }));
    });
    r.on('error', fail);
    r.end(req.body);
  });
}
