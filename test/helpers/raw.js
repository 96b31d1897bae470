// Raw HTTP requests, signed with AWS's own SigV4 signer (@smithy/signature-v4) or deliberately not, to check
// what the endpoint answers to malformed, unsigned and tampered requests.
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { XMLParser } from 'fast-xml-parser';

const parser = new XMLParser();

export function signer(creds, service = 'iam', region = 'us-east-1') {
  return new SignatureV4({ credentials: creds, service, region, sha256: Hash.bind(null, 'sha256') });
}

export function formRequest(node, params, { method = 'POST', path = '/' } = {}) {
  const url = new URL(node.endpoint);
  const body = new URLSearchParams(params).toString();
  return {
    method,
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path,
    query: method === 'GET' ? Object.fromEntries(new URLSearchParams(params)) : {},
    headers: {
      host: url.host,
      ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } : {}),
    },
    body: method === 'POST' ? body : undefined,
  };
}

export async function sign(req, creds, { service = 'iam', region = 'us-east-1', signingDate } = {}) {
  return signer(creds, service, region).sign(req, signingDate ? { signingDate } : {});
}

export async function presign(req, creds, { service = 'iam', expiresIn = 300, signingDate } = {}) {
  return signer(creds, service).presign(req, { expiresIn, ...(signingDate ? { signingDate } : {}) });
}

/** Send a request object as built above; returns { status, headers, text, xml }. */
export async function send(node, req) {
  const qs = new URLSearchParams(req.query ?? {}).toString();
  const res = await fetch(`${node.endpoint}${req.path}${qs ? `?${qs}` : ''}`, {
    method: req.method,
    headers: Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host')),
    body: req.body,
  });
  const text = await res.text();
  let xml = null;
  try { xml = parser.parse(text); } catch { /* not XML */ }
  return { status: res.status, headers: Object.fromEntries(res.headers), text, xml };
}

export const errorCode = (r) => r.xml?.ErrorResponse?.Error?.Code;
