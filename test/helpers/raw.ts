// Raw HTTP requests, signed with AWS's own SigV4 signer (@smithy/signature-v4) or deliberately not, to check
// what the endpoint answers to malformed, unsigned and tampered requests.
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { XMLParser } from 'fast-xml-parser';
import type { Credentials, GatehouseNode } from './server.js';

const parser = new XMLParser();

/** What the raw helpers need of a node: where it listens. */
export type NodeUrl = Pick<GatehouseNode, 'endpoint'>;

/** A request as formRequest builds it and the signer signs it (the signer only adds string headers and query). */
export interface RawRequest {
  method: string;
  protocol: string;
  hostname: string;
  port: number;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string | undefined;
}

/** What send resolves: `xml` is the parsed body (null when it is not XML), of the shape the caller names. */
export interface RawResponse<X = unknown> {
  status: number;
  headers: Record<string, string>;
  text: string;
  xml: X | null;
}

export function signer(creds: Credentials, service = 'iam', region = 'us-east-1'): SignatureV4 {
  return new SignatureV4({ credentials: creds, service, region, sha256: Hash.bind(null, 'sha256') });
}

export function formRequest(node: NodeUrl, params: Record<string, string>, { method = 'POST', path = '/' }: { method?: string; path?: string } = {}): RawRequest {
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

export async function sign(req: RawRequest, creds: Credentials, { service = 'iam', region = 'us-east-1', signingDate }: { service?: string; region?: string; signingDate?: Date | undefined } = {}): Promise<RawRequest> {
  // the signer returns a copy of req with string headers added: still a RawRequest
  return signer(creds, service, region).sign(req, signingDate ? { signingDate } : {}) as Promise<RawRequest>;
}

export async function presign(req: RawRequest, creds: Credentials, { service = 'iam', expiresIn = 300, signingDate }: { service?: string; expiresIn?: number; signingDate?: Date | undefined } = {}): Promise<RawRequest> {
  // the signer returns a copy of req with string query parameters added: still a RawRequest
  return signer(creds, service).presign(req, { expiresIn, ...(signingDate ? { signingDate } : {}) }) as Promise<RawRequest>;
}

/** Send a request object as built above; returns { status, headers, text, xml }. */
export async function send<X = unknown>(node: NodeUrl, req: RawRequest): Promise<RawResponse<X>> {
  const qs = new URLSearchParams(req.query ?? {}).toString();
  const res = await fetch(`${node.endpoint}${req.path}${qs ? `?${qs}` : ''}`, {
    method: req.method,
    headers: Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host')),
    body: req.body ?? null, // no body: the same request as undefined
  });
  const text = await res.text();
  let xml: X | null = null;
  try { xml = parser.parse(text) as X; } catch { /* not XML */ } // the caller names the response's shape
  return { status: res.status, headers: Object.fromEntries(res.headers), text, xml };
}

/** An AWS error response's code (ErrorResponse.Error.Code), or undefined. */
export const errorCode = (r: RawResponse): unknown => {
  const envelope = r.xml as { ErrorResponse?: { Error?: { Code?: unknown } } } | null; // parsed XML: any element may be absent
  return envelope?.ErrorResponse?.Error?.Code;
};
