// What the console's page modules (./pages/*.ts) get from the console (./index.ts): the one way to run an IAM
// operation as the signed-in principal (the wire's parser, the authoriser, the handler: exactly a signed API call),
// responses, and the request of one page. The pages add no rule of their own: what the caller's policies refuse,
// the page shows as "Access denied" with the authoriser's own words.
import { kindOfSerial } from '../mfa/index.js';
import type { MfaDeviceKind } from '../mfa/index.js';
import type { IamOperations } from '../aws/handlers.js';
import type { IamOperationName } from '../iam/index.js';
import type { GatehouseAction, GatehouseInput } from '../authz/gatehouse-actions.js';
import type { Account, OperationContext } from '../iam/context.js';
import type { LookupEventsRequest, LookupEventsResponse } from '../aws/models/cloudtrail.generated.js';
import { MFA_DEVICES_PER_PRINCIPAL } from '../iam/mfa-devices.js';
import type { ConsoleStore } from '../store/console-store.js';
import type { ActiveSession, ConsoleDeps, ConsoleRequest, ConsoleResponse, Outcome } from './index.js';
import type { SafeHtml } from './html.js';
import type { Layout } from './pages.js';
import * as P from './pages.js';

export type Who = NonNullable<Layout['who']>;
export type Failure = Extract<Outcome<unknown>, { ok: false }>;

export interface Kit {
  readonly deps: ConsoleDeps;
  readonly consoleStore: ConsoleStore;
  /** An IAM operation as the signed-in principal, through the same parser, authoriser and handler as the API. */
  call<K extends IamOperationName>(s: ActiveSession, req: ConsoleRequest, action: K, params: Record<string, string>): Promise<Outcome<IamOperations[K]['output']>>;
  /** EnableMFADevice/ResyncMFADevice for oneself: IAM users through the API operation, root through the same authoriser and domain function. */
  ownDevice(s: ActiveSession, req: ConsoleRequest, action: 'EnableMFADevice' | 'ResyncMFADevice', params: { SerialNumber: string; AuthenticationCode1: string; AuthenticationCode2: string }): Promise<Outcome<unknown>>;
  /** A Gatehouse action (gatehouse:…, src/authz/gatehouse-actions.ts) authorised for the signed-in principal; the caller then does it. */
  authorizeGatehouse(s: ActiveSession, req: ConsoleRequest, action: GatehouseAction, input?: GatehouseInput): Promise<Outcome<void>>;
  /** A Gatehouse action authorised for the signed-in principal, then run(ctx), recorded in the event history (eventSource "gatehouse"). */
  gatehouse<T>(s: ActiveSession, req: ConsoleRequest, action: GatehouseAction, input: GatehouseInput, run: (ctx: OperationContext) => Promise<T>): Promise<Outcome<T>>;
  /** CloudTrail's LookupEvents as the signed-in principal (cloudtrail:LookupEvents, the same domain function as the API). */
  lookupEvents(s: ActiveSession, req: ConsoleRequest, input: LookupEventsRequest): Promise<Outcome<LookupEventsResponse>>;
  /** Records a change the principal made to its own recovery codes or trusted devices (no policy needed) as a Gatehouse event. */
  recordOwn(s: ActiveSession, req: ConsoleRequest, action: 'CreateRecoveryCodes' | 'DeleteTrustedDevices', input: object): void;
  respond(status: number, body: SafeHtml | string): ConsoleResponse;
  redirect(location: string): ConsoleResponse;
}

/** One request to a signed-in page. */
export interface PageRequest {
  readonly req: ConsoleRequest;
  readonly s: ActiveSession;
  readonly path: string;
  readonly post: boolean;
  readonly form: ReadonlyMap<string, string>;
  readonly notice: string | undefined;
  readonly who: Who;
}

/** A page module: answers the paths it owns, null for the others. */
export type PageRoute = (k: Kit, r: PageRequest) => Promise<ConsoleResponse | null>;

/** Fixed notices the pages' redirects may ask for with ?done=KEY (never text from the request). */
export const PAGE_NOTICES: Readonly<Record<string, string>> = {
  'key-deleted': 'Access key deleted.',
  'key-updated': 'Access key status changed.',
  'console-enabled': 'Console access enabled.',
  'console-disabled': 'Console access disabled: the user can no longer sign in to the console.',
  'password-reset': 'Console password reset.',
  'user-mfa-added': 'MFA device assigned to the user.',
  'user-mfa-removed': 'MFA device removed from the user. They can sign in without it and assign a new one.',
  'policy-attached': 'Policy attached.',
  'policy-detached': 'Policy detached.',
  'member-added': 'User added to the group.',
  'member-removed': 'User removed from the group.',
  'password-policy': 'Password policy updated.',
  'password-policy-deleted': 'Password policy deleted: the default rules apply.',
  'alias-set': 'Account alias set.',
  'alias-deleted': 'Account alias deleted.',
  'mfa-settings': 'Multi-factor authentication settings saved. They apply from the next sign-in, on every node.',
  'recovery-codes-saved': 'Keep your recovery codes somewhere safe: each works once, in place of your MFA device.',
  'trusted-device-forgotten': 'Trusted device forgotten: that browser is asked for MFA at its next sign-in.',
  'trusted-devices-forgotten': 'All your trusted devices are forgotten: every browser is asked for MFA at its next sign-in.',
  'hardware-added': 'Hardware TOTP token assigned. Sign out and sign in again with it to use actions that require MFA.',
  'mfa-lock-lifted': 'MFA lock lifted: the user\'s failed codes are cleared and codes are accepted again.',
  'email-set': 'Email address saved.',
  'email-removed': 'Email address removed.',
  'recovery-codes-revoked': 'Recovery codes revoked: the user has none until they generate a new set.',
  'trusted-devices-revoked': 'Trusted devices revoked: the user\'s next sign-in asks for MFA on every browser.',
  'mfa-required': 'Your account requires an MFA device: assign one to continue. Until then only this wizard and Sign out are available.',
};

/** A request's cookies by name (the first of a repeated name counts). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) {
      const k = part.slice(0, i).trim();
      if (!out.has(k)) out.set(k, part.slice(i + 1).trim());
    }
  }
  return out;
}

/** A request's User-Agent as one string. */
export const userAgentOf = (req: ConsoleRequest): string | undefined => {
  const ua = req.headers['user-agent'];
  return Array.isArray(ua) ? ua.join(' ') : ua;
};

/** An MFA lock's message at sign-in says until when (UTC), or that an administrator must lift it. */
export const mfaLocked = (until: Date | null): string => (until
  ? `Too many failed MFA codes for this sign-in. Codes are refused until ${until.toISOString().replace('T', ' ').slice(0, 19)} UTC; try again then.`
  : 'Too many failed MFA codes for this sign-in. Codes are refused until an administrator lifts the lock.');

/** The HTTP status of a refused operation. */
export const statusOf = (f: Failure): number => (f.code === 'AccessDenied' ? 403 : f.code === 'NoSuchEntity' ? 404 : f.code === 'LimitExceeded' ? 409 : 400);

/** The page for an operation the caller may not perform (or that failed): the authoriser's own words. */
export function refused(k: Kit, r: PageRequest, f: Failure, back: { href: string; label: string } = { href: '/console', label: 'Console home' }): ConsoleResponse {
  return k.respond(statusOf(f), P.message({ title: f.code === 'AccessDenied' ? 'Access denied' : 'Request failed', text: f.message, who: r.who, link: back }));
}

/** The account's sign-in links for IAM users, from the public URL: with the account id, and with the alias. */
export function signinLinks(publicUrl: string, account: Pick<Account, 'accountId' | 'alias'>): string[] {
  return [`${publicUrl}/console?account=${account.accountId}`, ...(account.alias ? [`${publicUrl}/console?account=${encodeURIComponent(account.alias)}`] : [])];
}

export const MFA_QUOTA_REACHED = 'This user already has 8 MFA devices, the most AWS allows (MFADevicesPerUser). Remove a device before assigning another.';

/**
 * Whether the principal (or the named user) already has the most MFA devices allowed, asked before a device is
 * created so the refusal comes first (EnableMFADevice refuses the 9th too). Unknown (not allowed to list): false.
 */
export async function deviceQuotaReached(k: Kit, s: ActiveSession, req: ConsoleRequest, userName?: string): Promise<boolean> {
  const r = await k.call(s, req, 'ListMFADevices', userName === undefined ? { MaxItems: '10' } : { UserName: userName, MaxItems: '10' });
  return r.ok && r.value.MFADevices.length >= MFA_DEVICES_PER_PRINCIPAL;
}

/** What kind of MFA device a serial number names (AWS's serial formats). */
/** A device's kind from its serial: src/mfa's one rule (mfa/… virtual, u2f/… FIDO, else a hardware token). */
export const deviceKind = (serial: string): MfaDeviceKind => kindOfSerial(serial);
export const DEVICE_KIND_LABEL: Readonly<Record<MfaDeviceKind, string>> = {
  virtual: 'Authenticator app', fido: 'Passkey or security key', hardware: 'Hardware TOTP token',
};

/** Whole days since a date ("0 days" for today). */
export function ageDays(from: Date, now: Date): string {
  const days = Math.max(0, Math.floor((now.getTime() - from.getTime()) / 86_400_000));
  return `${days} day${days === 1 ? '' : 's'}`;
}

export const shortDate = (d: Date): string => d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
