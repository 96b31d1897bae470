// The two reference servers bench/mixed-load.ts runs beside Gatehouse, in their own process:
//
//   node dist/bench/floor-server.js --mode fixed --port N
//     a bare node:http server: reads the body and answers a fixed XML document per Action (the most node:http
//     itself can do on this machine);
//   node dist/bench/floor-server.js --mode floor --port N --key-id AKIA… --secret …
//     node:http + SigV4 verification (Gatehouse's own verifier, src/aws/sigv4.ts) + one prepared better-sqlite3
//     lookup of the access key's secret, then the same fixed XML: the floor of what Gatehouse must do per request.
//
// Both print "listening" on stdout once they accept connections.
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { checkTime, parseAuthorization, verifySignature } from '../src/aws/sigv4.js';

const { values: opts } = parseArgs({ options: { mode: { type: 'string' }, port: { type: 'string' }, 'key-id': { type: 'string' }, secret: { type: 'string' } } });
const RID = '00000000-0000-4000-8000-000000000000';
const XML: Readonly<Record<string, string>> = {
  GetCallerIdentity: '<?xml version="1.0" encoding="UTF-8"?>\n<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
    '<UserId>AIDAFLOOR00000000000</UserId><Account>123456789012</Account><Arn>arn:aws:iam::123456789012:user/admin</Arn></GetCallerIdentityResult>' +
    `<ResponseMetadata><RequestId>${RID}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
  ListMFADevices: '<?xml version="1.0" encoding="UTF-8"?>\n<ListMFADevicesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListMFADevicesResult><MFADevices>' +
    '<member><UserName>alice</UserName><SerialNumber>arn:aws:iam::123456789012:mfa/alice</SerialNumber><EnableDate>2026-11-30T12:00:00Z</EnableDate></member>' +
    `</MFADevices><IsTruncated>false</IsTruncated></ListMFADevicesResult><ResponseMetadata><RequestId>${RID}</RequestId></ResponseMetadata></ListMFADevicesResponse>`,
};
const ERROR = `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>no</Message></Error><RequestId>${RID}</RequestId></ErrorResponse>`;

function answer(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': RID });
  res.end(body);
}

const actionOf = (body: Buffer): string => new URLSearchParams(body.toString('utf8')).get('Action') ?? '';

let lookup: ((id: string) => string | undefined) | undefined;
let dir: string | undefined;
if (opts.mode === 'floor') {
  if (!opts['key-id'] || !opts.secret) throw new Error('--mode floor needs --key-id and --secret');
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-floor-'));
  const db = new Database(join(dir, 'keys.db'));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE access_keys (access_key_id TEXT PRIMARY KEY, secret TEXT NOT NULL, status TEXT NOT NULL)');
  db.prepare('INSERT INTO access_keys VALUES (?, ?, ?)').run([opts['key-id'], opts.secret, 'Active']);
  const stmt = db.prepare("SELECT secret FROM access_keys WHERE access_key_id = ? AND status = 'Active'");
  lookup = (id) => (stmt.get([id]) as { secret: string } | undefined)?.secret; // the row the SELECT above names
} else if (opts.mode !== 'fixed') {
  throw new Error('--mode fixed or --mode floor');
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const xml = XML[actionOf(body)];
    if (xml === undefined) { answer(res, 400, ERROR); return; }
    if (lookup) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const signed = { method: req.method ?? 'POST', path: url.pathname, query: [...url.searchParams], headers: req.headers, body };
      try {
        const auth = parseAuthorization(signed);
        const secret = auth ? lookup(auth.accessKeyId) : undefined;
        if (!auth || secret === undefined) { answer(res, 403, ERROR); return; }
        checkTime(auth, Date.now());
        verifySignature(signed, auth, secret);
      } catch {
        answer(res, 403, ERROR);
        return;
      }
    }
    answer(res, 200, xml);
  });
});
server.keepAliveTimeout = 5000;
server.listen(Number(opts.port), '127.0.0.1', () => { process.stdout.write('listening\n'); });
process.on('SIGTERM', () => { server.close(); server.closeAllConnections(); if (dir) rmSync(dir, { recursive: true, force: true }); process.exit(0); });
