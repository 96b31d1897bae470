// SigV4 verification. AWS's signers (@smithy/signature-v4, botocore) sign but offer no verify API, so the server
// rebuilds the canonical request from what it received and compares signatures in constant time.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { AwsError } from './errors.js';
import { isKnownRegion } from './regions.js';

/** A header as node:http gives it: one string (repeated lines joined), an array only for set-cookie. */
export type HeaderValue = string | string[] | undefined;

/** What SigV4 reads of a request: headers with lowercased names, the query as received, the raw body. */
export interface SignedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: ReadonlyArray<readonly [string, string]>;
  readonly headers: { readonly [name: string]: HeaderValue };
  readonly body?: Buffer | undefined;
}

/** What was signed, as parsed from the Authorization header or a presigned URL's query (not yet checked). */
interface SigV4Fields {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: string[];
  readonly signature: string;
  readonly amzDate: string;
  readonly sessionToken: string | undefined;
}
/** Signed in the Authorization header, or presigned in the query (then with the seconds the URL stays valid). */
export type SigV4Auth = SigV4Fields & ({ readonly presigned: false } | { readonly presigned: true; readonly expires: number });

// One value of a single-value header (the endpoint refuses repeated ones; an array would be set-cookie's form).
const headerText = (v: HeaderValue): string | undefined => (Array.isArray(v) ? v.join(', ') : v);

const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_SKEW_MS = 15 * 60 * 1000;
const MAX_PRESIGN_EXPIRES = 7 * 24 * 3600;

const sha256hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();

// RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~ is percent-encoded.
export function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const signingKeys = new Map<string, Buffer>();
function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const cacheKey = `${secret}\n${date}\n${region}\n${service}`;
  let key = signingKeys.get(cacheKey);
  if (!key) {
    key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
    if (signingKeys.size > 10000) signingKeys.clear();
    signingKeys.set(cacheKey, key);
  }
  return key;
}

function parseAmzDate(s: string | undefined): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s ?? '');
  if (!m) return null;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

const incomplete = (msg: string): AwsError => new AwsError('IncompleteSignature', msg);

/**
 * Extract what was signed from a request, without checking it yet.
 * @returns null when the request carries no signature at all
 */
export function parseAuthorization(req: SignedRequest): SigV4Auth | null {
  const auth = headerText(req.headers.authorization);
  if (auth !== undefined) {
    const [alg, ...rest] = auth.trim().split(/\s+/);
    if (alg !== ALGORITHM) {
      throw incomplete(`Authorization header requires the '${ALGORITHM}' algorithm; got '${alg}'.`);
    }
    const fields: Record<string, string> = {};
    for (const part of rest.join('').split(',')) {
      const eq = part.indexOf('=');
      if (eq > 0) fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
    }
    const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((f) => !fields[f]);
    if (missing.length) {
      throw incomplete(missing.map((f) => `Authorization header requires '${f}' parameter.`).join(' ') + ` Authorization=${auth}`);
    }
    const amzDate = headerText(req.headers['x-amz-date']) ?? toAmzDate(headerText(req.headers.date));
    if (!amzDate) throw incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    return {
      ...parseCredential(fields.Credential ?? ''), // the three fields are present (checked above)
      signedHeaders: (fields.SignedHeaders ?? '').split(';'),
      signature: fields.Signature ?? '',
      amzDate,
      presigned: false,
      sessionToken: headerText(req.headers['x-amz-security-token']),
    };
  }
  const q = new Map<string, string>(req.query);
  const param = (name: string): string => q.get(name) ?? ''; // for the parameters checked present below
  if (!q.has('X-Amz-Algorithm') && !q.has('X-Amz-Signature')) return null;
  if (q.get('X-Amz-Algorithm') !== ALGORITHM) throw incomplete(`X-Amz-Algorithm must be ${ALGORITHM}.`);
  // X-Amz-Expires is required: a presigned URL that never says when it ends is refused, not given the maximum.
  const missing = ['X-Amz-Credential', 'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-Expires'].filter((f) => !q.get(f));
  if (missing.length) throw incomplete(`The presigned request is missing ${missing.join(', ')}.`);
  const expires = /^\d{1,7}$/.test(param('X-Amz-Expires')) ? Number(param('X-Amz-Expires')) : NaN;
  if (!Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGN_EXPIRES) {
    throw new AwsError('AuthorizationQueryParametersError', 'X-Amz-Expires must be a whole number of seconds from 1 to 604800.', 400);
  }
  return {
    ...parseCredential(param('X-Amz-Credential')),
    signedHeaders: param('X-Amz-SignedHeaders').split(';'),
    signature: param('X-Amz-Signature'),
    amzDate: param('X-Amz-Date'),
    presigned: true,
    expires,
    sessionToken: q.get('X-Amz-Security-Token'),
  };
}

function toAmzDate(httpDate: string | undefined): string | undefined {
  if (!httpDate) return undefined;
  const d = new Date(httpDate);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function parseCredential(credential: string): Pick<SigV4Auth, 'accessKeyId' | 'date' | 'region' | 'service'> {
  const parts = credential.split('/');
  const [accessKeyId = '', date = '', region = '', service = ''] = parts;
  if (parts.length !== 5 || parts[4] !== 'aws4_request' || !accessKeyId || !/^\d{8}$/.test(date) || !region || !service) {
    throw incomplete(`Credential must have the form <AccessKeyId>/<YYYYMMDD>/<region>/<service>/aws4_request; got '${credential}'.`);
  }
  return { accessKeyId, date, region, service };
}

/**
 * The credential scope must name a real AWS region and the service that owns the operation, as AWS checks before
 * it looks at the key: a signature made for another service (or a made-up region) is not accepted for this one.
 * @param expectedService  'iam' or 'sts'; null when the operation is not known yet
 */
export function checkScope(auth: Pick<SigV4Auth, 'region' | 'service'>, expectedService: string | null): void {
  let message = '';
  if (!isKnownRegion(auth.region)) message += `Credential should be scoped to a valid region, not '${auth.region}'. `;
  if (expectedService && auth.service !== expectedService) message += `Credential should be scoped to correct service: '${expectedService}'. `;
  if (message) throw new AwsError('SignatureDoesNotMatch', message);
}

/** Check the request time against the clock (15 minutes either way; presigned: until expiry). */
export function checkTime(auth: SigV4Auth, nowMs: number): void {
  const t = parseAmzDate(auth.amzDate);
  if (t === null) throw incomplete(`Invalid X-Amz-Date '${auth.amzDate}': expected YYYYMMDDTHHMMSSZ.`);
  if (auth.amzDate.slice(0, 8) !== auth.date) {
    throw new AwsError('SignatureDoesNotMatch', `Credential should be scoped to a valid date: '${auth.amzDate.slice(0, 8)}' != '${auth.date}'.`);
  }
  const fmt = (ms: number): string => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  if (auth.presigned) {
    if (t - nowMs > MAX_SKEW_MS) throw new AwsError('SignatureDoesNotMatch', `Signature not yet current: ${auth.amzDate} is still later than ${fmt(nowMs + MAX_SKEW_MS)} (${fmt(nowMs)} + 15 min.)`);
    if (nowMs > t + auth.expires * 1000) throw new AwsError('SignatureDoesNotMatch', `Signature expired: ${auth.amzDate} is now earlier than ${fmt(nowMs - auth.expires * 1000)} (${fmt(nowMs)} - ${auth.expires} sec.)`);
    return;
  }
  if (nowMs - t > MAX_SKEW_MS) throw new AwsError('SignatureDoesNotMatch', `Signature expired: ${auth.amzDate} is now earlier than ${fmt(nowMs - MAX_SKEW_MS)} (${fmt(nowMs)} - 15 min.)`);
  if (t - nowMs > MAX_SKEW_MS) throw new AwsError('SignatureDoesNotMatch', `Signature not yet current: ${auth.amzDate} is still later than ${fmt(nowMs + MAX_SKEW_MS)} (${fmt(nowMs)} + 15 min.)`);
}

function canonicalUri(path: string): string {
  if (path === '/' || path === '') return '/';
  // Non-S3 services: each segment of the path as sent is encoded once more.
  return path.split('/').map((seg) => uriEncode(safeDecode(seg))).map(uriEncode).join('/');
}

function safeDecode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}

function canonicalQuery(query: SignedRequest['query'], presigned: boolean): string {
  const pairs: [string, string][] = [];
  for (const [k, v] of query) {
    if (presigned && k === 'X-Amz-Signature') continue;
    pairs.push([uriEncode(k), uriEncode(v)]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** The signature the holder of `secret` would have computed for this request, over the given payload hash. */
export function expectedSignature(req: SignedRequest, auth: SigV4Auth, secret: string, payloadHash: string = sha256hex(req.body ?? '')): string {
  const headerLines = auth.signedHeaders.map((name) => {
    const v = req.headers[name];
    const value = Array.isArray(v) ? v.join(',') : (v ?? '');
    return `${name}:${value.trim().replace(/\s+/g, ' ')}\n`;
  }).join('');
  const canonicalRequest = [
    req.method,
    canonicalUri(req.path),
    canonicalQuery(req.query, auth.presigned),
    headerLines,
    auth.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = `${ALGORITHM}\n${auth.amzDate}\n${scope}\n${sha256hex(canonicalRequest)}`;
  return createHmac('sha256', signingKey(secret, auth.date, auth.region, auth.service)).update(stringToSign).digest('hex');
}

/** Throws SignatureDoesNotMatch unless the signature matches; the comparison takes the same time either way. */
export function verifySignature(req: SignedRequest, auth: SigV4Auth, secret: string): void {
  if (!auth.signedHeaders.includes('host')) {
    throw new AwsError('SignatureDoesNotMatch', "The 'host' header must be signed.");
  }
  const wellFormed = /^[0-9a-f]{64}$/i.test(auth.signature);
  const given = wellFormed ? Buffer.from(auth.signature, 'hex') : Buffer.alloc(32);
  const bodyHash = sha256hex(req.body ?? '');
  const declared = req.headers['x-amz-content-sha256'];
  // The body is always signed: IAM and STS take no UNSIGNED-PAYLOAD (no AWS SDK sends it for them; botocore and
  // @smithy/signature-v4 presign a Query request over the hash of its empty body). A declared payload hash must
  // be the hash of the body that came, so no unsigned parameter can ride along in the body.
  if (declared !== undefined && declared !== bodyHash) {
    throw new AwsError('SignatureDoesNotMatch', 'The provided x-amz-content-sha256 header does not match what was computed.');
  }
  const expected = Buffer.from(expectedSignature(req, auth, secret, bodyHash), 'hex');
  const ok = timingSafeEqual(expected, given) && wellFormed;
  if (!ok) {
    throw new AwsError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.');
  }
}
