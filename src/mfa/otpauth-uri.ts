// otpauth:// URIs in Google Authenticator's Key URI Format
// (https://github.com/google/google-authenticator/wiki/Key-Uri-Format), as AWS puts them in QRCodePNG:
//   otpauth://totp/Amazon%20Web%20Services:BobsMFADevice@123456789012?secret=BASE32&issuer=Amazon%20Web%20Services
// The label is "Issuer:account" with the issuer repeated as a parameter; both are percent-encoded
// (space as %20, never '+'). algorithm, digits and period are omitted when they are the defaults
// (SHA1, 6, 30), because some apps mishandle them even when present.
import { normalizeParams, DEFAULT_PARAMS } from './totp.js';
import type { TotpParamsInput } from './totp.js';

const BASE32_RE = /^[A-Z2-7]+$/;

/** Percent-encodes a label part; '@' stays literal, as in the format's own examples. */
function encodePart(s: string): string {
  return encodeURIComponent(s).replace(/%40/g, '@');
}

export interface OtpauthUriOptions {
  readonly issuer: string;
  /** What follows the colon, e.g. `${deviceName}@${accountAliasOrId}`. */
  readonly accountName: string;
  readonly secretBase32: string;
  readonly params?: TotpParamsInput | null | undefined;
}

export function otpauthUri({ issuer, accountName, secretBase32, params }: OtpauthUriOptions): string {
  if (typeof issuer !== 'string' || issuer === '' || issuer.includes(':')) {
    throw new TypeError('issuer must be a non-empty string without ":"');
  }
  if (typeof accountName !== 'string' || accountName === '' || accountName.includes(':')) {
    throw new TypeError('accountName must be a non-empty string without ":"');
  }
  const secret = typeof secretBase32 === 'string' ? secretBase32.replace(/=+$/, '').toUpperCase() : '';
  if (!BASE32_RE.test(secret)) throw new TypeError('secretBase32 must be RFC 4648 base32');
  const p = normalizeParams(params);
  const issuerEnc = encodeURIComponent(issuer);
  let uri = `otpauth://totp/${encodePart(issuer)}:${encodePart(accountName)}?secret=${secret}&issuer=${issuerEnc}`;
  if (p.algorithm !== DEFAULT_PARAMS.algorithm) uri += `&algorithm=${p.algorithm}`;
  if (p.digits !== DEFAULT_PARAMS.digits) uri += `&digits=${p.digits}`;
  if (p.period !== DEFAULT_PARAMS.period) uri += `&period=${p.period}`;
  return uri;
}
