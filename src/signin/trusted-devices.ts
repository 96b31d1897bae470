// Trusted devices for context-aware sign-in (Identity Center's "Context-aware" prompt). After a sign-in that
// passed MFA with "This is a trusted device" ticked, the browser gets a random token in its own __Host- cookie;
// the server keeps the token's SHA-256 with the principal, the browser family, the client network (IPv4 /24,
// IPv6 /64), the MFA sign-in's time and device, and an expiry. Later sign-ins skip MFA only while every one of
// them still matches; aws:MultiFactorAuthAge then counts from the sign-in that did use MFA. Never for root.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { PrincipalKey, SigninSettingsStore, TrustedDevice } from '../store/signin-settings-store.js';

export const TRUSTED_DEVICE_COOKIE = '__Host-gatehouse-trusted';
const DAY_MS = 24 * 3600_000;

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** The browser family of a User-Agent (what must stay the same for a device to stay trusted). */
export function browserFamily(userAgent: string | undefined): string {
  const ua = (userAgent ?? '').slice(0, 512);
  const os = /Windows/.test(ua) ? 'Windows' : /Android/.test(ua) ? 'Android' : /iPhone|iPad|iPod/.test(ua) ? 'iOS'
    : /Mac OS X|Macintosh/.test(ua) ? 'macOS' : /Linux|X11/.test(ua) ? 'Linux' : 'other';
  const browser = /Edg(e|A|iOS)?\//.test(ua) ? 'Edge' : /Firefox\/|FxiOS\//.test(ua) ? 'Firefox'
    : /OPR\//.test(ua) ? 'Opera' : /Chrome\/|Chromium\/|CriOS\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : 'other';
  return `${browser} on ${os}`;
}

/** The client's network: an IPv4 address's /24, an IPv6 address's /64, else the text as given. */
export function clientNetwork(ip: string | undefined): string {
  const a = (ip ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  if (isIPv4(a)) return `${a.split('.').slice(0, 3).join('.')}.0/24`;
  if (isIPv6(a)) {
    const [head = '', tail = ''] = a.split('::');
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const groups = a.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
    return `${groups.slice(0, 4).map((g) => (parseInt(g, 16) || 0).toString(16)).join(':')}::/64`;
  }
  return a || 'unknown';
}

export interface TrustedDeps { readonly settingsStore: SigninSettingsStore }

export interface SignInContext { readonly userAgent: string | undefined; readonly ip: string | undefined; readonly now: Date }

/** Remembers this browser after an MFA sign-in; returns the cookie's token (shown to no one else). */
export async function trustDevice(
  deps: TrustedDeps, p: PrincipalKey, at: SignInContext, mfa: { readonly at: Date; readonly serial: string }, days: number,
): Promise<{ token: string; expiresAt: Date }> {
  if (p.type === 'root') throw new Error('the root user never gets a trusted device');
  const token = randomBytes(32).toString('base64url');
  const nowMs = at.now.getTime();
  const expiresAt = nowMs + days * DAY_MS;
  await deps.settingsStore.insertTrustedDevice({
    id: randomUUID(), accountId: p.accountId, principalType: p.type, principalId: p.id, tokenHash: sha256(token),
    browserFamily: browserFamily(at.userAgent), network: clientNetwork(at.ip), mfaAt: mfa.at.getTime(), mfaSerial: mfa.serial,
    createdAt: nowMs, lastUsed: nowMs, expiresAt,
  });
  return { token, expiresAt: new Date(expiresAt) };
}

/**
 * The trusted device this cookie names, when it belongs to this principal and the browser family, the network and
 * the expiry all still hold; null otherwise (sign-in then asks for MFA as usual). A match is marked used.
 */
export async function matchTrustedDevice(deps: TrustedDeps, p: PrincipalKey, token: string | undefined, at: SignInContext): Promise<TrustedDevice | null> {
  if (p.type === 'root' || !token || token.length > 128) return null;
  const d = await deps.settingsStore.trustedDeviceByToken(sha256(token));
  if (!d || d.principalType !== p.type || d.principalId !== p.id || d.accountId !== p.accountId) return null;
  if (d.expiresAt <= at.now.getTime()) return null;
  if (d.browserFamily !== browserFamily(at.userAgent) || d.network !== clientNetwork(at.ip)) return null;
  await deps.settingsStore.touchTrustedDevice(d.id, at.now.getTime());
  return d;
}

export const listTrustedDevices = (deps: TrustedDeps, p: PrincipalKey): Promise<TrustedDevice[]> => deps.settingsStore.listTrustedDevices(p);

export async function forgetTrustedDevice(deps: TrustedDeps, p: PrincipalKey, id: string): Promise<boolean> {
  return (await deps.settingsStore.deleteTrustedDevice(p, id)).changes === 1;
}

/** "Forget all": also what a password change or reset and the removal of any MFA device do. */
export async function forgetAllTrustedDevices(deps: TrustedDeps, p: PrincipalKey): Promise<number> {
  return (await deps.settingsStore.deleteTrustedDevices(p)).changes;
}
