// Console sign-in under the account's MFA settings (src/signin/settings.ts; docs/sign-in.md). After the password,
// the settings are read from the store (no cache: a change applies at the next sign-in on every node) and decide:
// ask for MFA, skip it for a trusted device (context-aware), sign in without it (prompt "never", or a user without
// a device under "allow"), hold the user in the Assign MFA device wizard ("require registration"), mail a one-time
// code ("email-otp") or refuse ("block"). The same settings restrict which device types are offered at sign-in and
// can be enrolled in the console, and whether users manage their own devices. The root user is outside the
// settings except for what happens without a device: root is asked for MFA whenever it has a device (of any type),
// never gets a trusted device, always manages its own devices, and "block" holds it in enrolment instead (nobody
// else can assign root's devices).
import { observe } from '../observe.js';
import { html } from './html.js';
import { parseCookies, userAgentOf } from './kit.js';
import type { SafeHtml } from './html.js';
import * as P from './pages.js';
import { emailCodePage } from './pages/email-otp.js';
import { readSettings, typeAllowed } from '../signin/settings.js';
import type { MfaSettings } from '../signin/settings.js';
import { TRUSTED_DEVICE_COOKIE, matchTrustedDevice, trustDevice } from '../signin/trusted-devices.js';
import type { SignInContext } from '../signin/trusted-devices.js';
import { EMAIL_TAG, maskEmail, sendEmailOtp, verifyEmailOtp } from '../signin/email-otp.js';
import type { SendResult } from '../signin/email-otp.js';
import { endSession, startMfaStage } from '../signin/session.js';
import type { ResolvedSession, SessionDeps, SigninSubject } from '../signin/session.js';
import type { PasswordPassed } from '../signin/password.js';
import { SigninSettingsStore } from '../store/signin-settings-store.js';
import type { PrincipalKey } from '../store/signin-settings-store.js';
import type { Db } from '../store/db.js';
import type { MfaDeviceKind } from '../mfa/index.js';
import { MFA_DEVICES_LISTED } from '../signin/password.js';
import { arn } from '../iam/arn.js';
import type { Account } from '../iam/context.js';
import type { SigninWho } from '../events/records.js';
import type { ActiveSession, ConsoleDeps, ConsoleRequest, ConsoleResponse } from './index.js';

type StageSession = Extract<ResolvedSession, { kind: 'mfa' }>;

/** The account's settings, read from the store now (never cached). */
export const accountSettings = (db: Db, accountId: string): Promise<MfaSettings> => readSettings({ settingsStore: new SigninSettingsStore(db) }, accountId);

const ALL_KINDS: readonly MfaDeviceKind[] = ['virtual', 'fido', 'hardware'];

/** The devices sign-in offers: the root user's all of them; an IAM user's of the allowed types only. */
export function usableDevices<D extends { readonly kind: MfaDeviceKind }>(settings: MfaSettings, type: 'user' | 'root', devices: readonly D[]): D[] {
  return type === 'root' ? [...devices] : devices.filter((d) => typeAllowed(settings, d.kind));
}

/** The device kinds the console lets this principal (or an administrator for an IAM user) enrol. */
export function enrollableKinds(settings: MfaSettings, type: 'user' | 'root'): MfaDeviceKind[] {
  return type === 'root' ? [...ALL_KINDS] : ALL_KINDS.filter((k) => typeAllowed(settings, k));
}

/** The same, read from the store, for an administrator's pages about an IAM user of this account. */
export async function enrollableForUsers(db: Db, accountId: string): Promise<MfaDeviceKind[]> {
  return enrollableKinds(await accountSettings(db, accountId), 'user');
}

export const MESSAGES = {
  blocked: 'You cannot sign in: this account requires an MFA device, and you have none that it allows. Ask your administrator to assign one to you.',
  cannotEnrol: 'You cannot sign in: this account requires an MFA device, you have none that it allows, and only administrators assign MFA devices here. Ask your administrator to assign one to you.',
  noMailer: 'You cannot sign in: you have no MFA device, and this account then sends a one-time code by email, but this server cannot send email (no SMTP server is configured). Ask your administrator.',
  noAddress: 'You cannot sign in: you have no MFA device, and this account then sends a one-time code by email, but you have no email address on record. Ask your administrator to set one (the user tag "email") or to assign you an MFA device.',
  sendFailed: 'The sign-in code could not be sent by email. Try again in a few minutes, or ask your administrator.',
  mustEnrol: 'Your account requires an MFA device before you can use the console. Assign one (or sign out).',
  selfManageOff: 'Only administrators assign and remove MFA devices in this account. Ask your administrator to assign, remove or resynchronise your MFA device.',
  typeNotAllowed: 'This type of MFA device is not allowed in this account (its MFA settings). Choose another type.',
  codeInvalid: 'The code is not valid: it may be mistyped, expired (10 minutes) or already used. Enter the latest code, or send a new one.',
  codeLocked: 'Too many wrong codes for this sign-in. Wait a few minutes, then sign in again.',
} as const;

/** What sign-in does after the password, under the settings. */
export type Decision =
  | { readonly kind: 'mfa' }
  | { readonly kind: 'trusted'; readonly mfa: { readonly at: Date; readonly serial: string } }
  | { readonly kind: 'signed-in' }
  | { readonly kind: 'enrol' }
  | { readonly kind: 'email-otp' }
  | { readonly kind: 'refused'; readonly message: string; readonly reason: string };

/** The decision itself, apart from the HTTP (the devices are the principal's enabled ones, as the password step found them). */
export async function decide(
  settingsStore: SigninSettingsStore, settings: MfaSettings,
  p: { readonly account: Pick<Account, 'accountId'>; readonly type: 'user' | 'root'; readonly id: string; readonly devices: readonly { readonly kind: MfaDeviceKind; readonly serialNumber: string }[] },
  at: SignInContext, trustedToken: string | undefined,
): Promise<Decision> {
  const root = p.type === 'root';
  if (!root && settings.prompt === 'never') return { kind: 'signed-in' };
  const usable = usableDevices(settings, p.type, p.devices);
  if (usable.length) {
    if (!root && settings.prompt === 'context-aware') {
      const key: PrincipalKey = { accountId: p.account.accountId, type: p.type, id: p.id };
      const t = await matchTrustedDevice({ settingsStore }, key, trustedToken, at);
      // The device that passed MFA then must still be one sign-in would accept now.
      if (t && usable.some((d) => d.serialNumber === t.mfaSerial)) return { kind: 'trusted', mfa: { at: new Date(t.mfaAt), serial: t.mfaSerial } };
    }
    return { kind: 'mfa' };
  }
  switch (settings.withoutDevice) {
    case 'allow': return { kind: 'signed-in' };
    case 'email-otp': return { kind: 'email-otp' };
    case 'block': return root ? { kind: 'enrol' } : { kind: 'refused', message: MESSAGES.blocked, reason: 'Sign-in blocked: no MFA device (account MFA settings)' };
    default:
      if (!root && !settings.selfManage) return { kind: 'refused', message: MESSAGES.cannotEnrol, reason: 'Sign-in refused: no MFA device, and users cannot enrol one (account MFA settings)' };
      return { kind: 'enrol' };
  }
}

/** What the console (./index.ts) lends this module. */
export interface FlowHooks {
  respond(status: number, body: SafeHtml | string): ConsoleResponse;
  redirect(location: string, cookies?: string[]): ConsoleResponse;
  /** The console session's cookie, set to this id. */
  sessionCookie(req: ConsoleRequest, id: string): string;
  /** Signed in: the session (stage 'active', or 'enrol'), its cookie and any extra cookies, and the redirect. */
  complete(req: ConsoleRequest, subject: SigninSubject, mfa: { at: Date; serial: string } | null, now: Date, o?: { stage?: 'enrol'; cookies?: string[] }): Promise<ConsoleResponse>;
  signinEvent(req: ConsoleRequest, who: SigninWho | (() => Promise<SigninWho>), success: boolean, mfaSerial: string | null, time: Date,
    o?: { via?: 'trusted-device' | 'email-otp'; failureMessage?: string }): void;
}

const ENROL_PATHS = new Set(['/console/mfa/assign', '/console/mfa/assign/app', '/console/mfa/assign/fido', '/console/mfa/assign/hardware', '/console/mfa/assign/cancel']);
const SELF_SERVICE = /^\/console\/mfa\/(assign(\/(app|fido|hardware|cancel))?|device\/(resync|remove))$/;
/** The Assign MFA device form's type choice, as a device kind. */
const CHOICE_KIND: Readonly<Record<string, MfaDeviceKind>> = { app: 'virtual', fido: 'fido', hardware: 'hardware' };


export function createSigninFlow(deps: ConsoleDeps, sdeps: SessionDeps, hooks: FlowHooks) {
  const settingsStore = new SigninSettingsStore(deps.db);
  const settingsOf = (accountId: string): Promise<MfaSettings> => readSettings({ settingsStore }, accountId);
  const contextOf = (req: ConsoleRequest, now: Date): SignInContext => ({ userAgent: userAgentOf(req), ip: req.sourceIp, now });

  const refusedPage = (message: string): ConsoleResponse =>
    hooks.respond(403, P.message({ title: 'Sign in', text: message, link: { href: '/console', label: 'Back to sign in' } }));

  function emailOf(account: Account, type: 'user' | 'root', user: PasswordPassed['user'] | undefined): string | undefined {
    return type === 'root' ? account.rootEmail : user?.tags.find((t) => t.Key === EMAIL_TAG)?.Value;
  }

  async function send(key: PrincipalKey, email: string | undefined, account: Account, now: Date): Promise<SendResult | 'failed'> {
    try {
      return await sendEmailOtp({ settingsStore, secrets: deps.secrets, mailer: deps.mailer ?? null }, key, email, `account ${account.alias ?? account.accountId}`, now);
    } catch (e) {
      // The SMTP server's answer, never the code or the SMTP URL's credentials.
      deps.logger.error({ accountId: account.accountId, principalType: key.type, principalId: key.id, err: e instanceof Error ? e.message : 'unknown' }, 'could not send a sign-in code by email');
      return 'failed';
    }
  }

  /** After the password: what the settings say, done. */
  async function signedIn(req: ConsoleRequest, passed: PasswordPassed): Promise<ConsoleResponse> {
    const subject: SigninSubject = { account: passed.account, type: passed.type, id: passed.id, mustChangePassword: passed.mustChangePassword };
    const now = new Date();
    const settings = await settingsOf(passed.account.accountId);
    const d = await decide(settingsStore, settings, passed, contextOf(req, now), parseCookies(req.headers.cookie).get(TRUSTED_DEVICE_COOKIE));
    switch (d.kind) {
      case 'mfa': {
        const id = await startMfaStage(sdeps, subject, now);
        return hooks.redirect('/console/mfa', [hooks.sessionCookie(req, id)]);
      }
      case 'trusted': {
        const done = await hooks.complete(req, subject, d.mfa, now);
        if (done.status < 400) hooks.signinEvent(req, passed.who, true, null, now, { via: 'trusted-device' });
        return done;
      }
      case 'signed-in':
      case 'enrol': {
        const done = await hooks.complete(req, subject, null, now, d.kind === 'enrol' ? { stage: 'enrol' } : {});
        if (done.status < 400) hooks.signinEvent(req, passed.who, true, null, now);
        return done;
      }
      case 'email-otp': {
        const key: PrincipalKey = { accountId: passed.account.accountId, type: passed.type, id: passed.id };
        const sent = await send(key, emailOf(passed.account, passed.type, passed.user), passed.account, now);
        if (sent === 'failed' || (!sent.sent && sent.reason !== 'recently-sent')) {
          const message = sent === 'failed' ? MESSAGES.sendFailed : sent.reason === 'no-mailer' ? MESSAGES.noMailer : MESSAGES.noAddress;
          observe({ kind: 'sign-in', outcome: 'failure', mfa: false });
          hooks.signinEvent(req, passed.who, false, null, now, { via: 'email-otp', failureMessage: 'Sign-in refused: the one-time code could not be sent by email' });
          return hooks.respond(sent === 'failed' ? 503 : 403, P.message({ title: 'Sign in', text: message, link: { href: '/console', label: 'Back to sign in' } }));
        }
        const id = await startMfaStage(sdeps, subject, now, 'email-otp');
        // A code mailed less than 30 seconds ago is still the one to use (no second mail).
        return hooks.redirect(`/console/signin/email-code${sent.sent ? '' : '?done=code-recently-sent'}`, [hooks.sessionCookie(req, id)]);
      }
      default:
        observe({ kind: 'sign-in', outcome: 'failure', mfa: false });
        hooks.signinEvent(req, passed.who, false, null, now, { failureMessage: d.reason });
        return refusedPage(d.message);
    }
  }

  /** Who a stage session is, for its event (read when the event is written). */
  function whoOf(account: Account, s: StageSession): () => Promise<SigninWho> {
    return async () => {
      if (s.session.principalType === 'root') return { kind: 'root', accountId: account.accountId, arn: arn.root(account.accountId) };
      const u = await deps.store.getUserById(s.session.principalId);
      return u ? { kind: 'user', accountId: account.accountId, userId: u.userId, userName: u.name, arn: arn.user(account.accountId, u.path, u.name) } : { kind: 'unknown', accountId: account.accountId };
    };
  }

  /** The emailed-code stage: the code page, a new code, the check. */
  async function emailStage(req: ConsoleRequest, s: StageSession, path: string, form: ReadonlyMap<string, string>): Promise<ConsoleResponse> {
    const account = await deps.store.getAccount(s.session.accountId);
    if (!account) return hooks.redirect('/console/cancel');
    const type = s.session.principalType;
    const user = type === 'user' ? await deps.store.getUserById(s.session.principalId) : null;
    if (type === 'user' && !user) return hooks.redirect('/console/cancel');
    const email = emailOf(account, type, user);
    const view = (status: number, o: { error?: string; notice?: string } = {}): ConsoleResponse =>
      hooks.respond(status, emailCodePage({ csrf: s.session.csrf, maskedEmail: maskEmail(email ?? ''), ...o }));
    const post = req.method === 'POST';
    const key: PrincipalKey = { accountId: account.accountId, type, id: s.session.principalId };
    if (path === '/console/signin/email-code/resend' && post) {
      const sent = await send(key, email, account, new Date());
      if (sent === 'failed') return view(503, { error: MESSAGES.sendFailed });
      if (!sent.sent && sent.reason !== 'recently-sent') return view(403, { error: sent.reason === 'no-mailer' ? MESSAGES.noMailer : MESSAGES.noAddress });
      return view(200, { notice: sent.sent ? 'A new code was sent. Codes sent before it no longer work.' : CODE_RECENTLY_SENT });
    }
    if (path !== '/console/signin/email-code') return hooks.redirect('/console/signin/email-code');
    if (!post) return view(200, req.url.searchParams.get('done') === 'code-recently-sent' ? { notice: CODE_RECENTLY_SENT } : {});
    const now = new Date();
    const r = await verifyEmailOtp({ db: deps.db, mfaStore: deps.mfaStore, secrets: deps.secrets, account, now, events: deps.history?.recorder, settingsStore },
      { type, id: s.session.principalId }, form.get('code') ?? '');
    const who = whoOf(account, s);
    hooks.signinEvent(req, who, r.ok, null, now, { via: 'email-otp', ...(r.ok ? {} : { failureMessage: 'Failed authentication: wrong or expired one-time code' }) });
    if (r.ok) {
      await endSession(sdeps, s.idHash);
      return hooks.complete(req, { account, type, id: s.session.principalId, mustChangePassword: s.session.mustChangePassword }, null, now);
    }
    observe({ kind: 'sign-in', outcome: 'failure', mfa: false });
    return r.reason === 'locked' ? view(429, { error: MESSAGES.codeLocked }) : view(401, { error: MESSAGES.codeInvalid });
  }

  /**
   * The MFA stage under the settings: the devices sign-in offers (the allowed types only, for IAM users), and "This
   * is a trusted device" for the MFA pages when the account is context-aware (never for root).
   */
  async function mfaStageView<D extends { readonly kind: MfaDeviceKind }>(accountId: string, type: 'user' | 'root', devices: readonly D[]): Promise<{ offered: D[]; trust: SafeHtml | undefined; recovery: boolean }> {
    const settings = await settingsOf(accountId);
    return {
      offered: usableDevices(settings, type, devices), trust: type === 'user' && settings.prompt === 'context-aware' ? trustField(settings) : undefined,
      recovery: settings.recoveryCodes > 0,
    };
  }

  function trustField(settings: MfaSettings): SafeHtml {
    return html`<div class="check"><input type="checkbox" id="trusted" name="trusted" value="on" aria-describedby="trusted-hint"> <label for="trusted">This is a trusted device</label></div>
<div class="hint" id="trusted-hint">Do not ask for MFA again in this browser, from this network, for ${settings.trustedDeviceDays} day${settings.trustedDeviceDays === 1 ? '' : 's'}. Leave it unticked on a shared computer.</div>`;
  }

  /**
   * After a sign-in that passed MFA with "This is a trusted device" ticked (context-aware accounts, IAM users):
   * remembers the browser and returns its cookie (__Host-: Secure, Path=/, no Domain; HttpOnly, SameSite=Lax).
   */
  async function trustCookies(req: ConsoleRequest, subject: SigninSubject, mfa: { at: Date; serial: string }, form: ReadonlyMap<string, string>): Promise<string[]> {
    if (subject.type !== 'user' || form.get('trusted') !== 'on') return [];
    const settings = await settingsOf(subject.account.accountId);
    if (settings.prompt !== 'context-aware') return [];
    const key: PrincipalKey = { accountId: subject.account.accountId, type: 'user', id: subject.id };
    const { token } = await trustDevice({ settingsStore }, key, contextOf(req, mfa.at), mfa, settings.trustedDeviceDays);
    return [`${TRUSTED_DEVICE_COOKIE}=${token}; Path=/; Max-Age=${settings.trustedDeviceDays * 86_400}; HttpOnly; Secure; SameSite=Lax`];
  }


  /**
   * "Require them to register an MFA device at sign in": a session in stage 'enrol' reaches only the Assign MFA
   * device wizard (and sign-out, and a forced password change) until the principal has a device sign-in accepts;
   * then it is an ordinary session (still without MFA: the next sign-in asks for the new device).
   */
  async function enrolGate(s: ActiveSession, path: string, post: boolean, who: NonNullable<P.Layout['who']>): Promise<ConsoleResponse | null> {
    if (s.session.stage !== 'enrol') return null;
    if (ENROL_PATHS.has(path) || (path === '/console/password' && s.session.mustChangePassword)) return null;
    const type = s.session.principalType;
    const devices = await deps.mfaStore.listForOwner(s.account.accountId, type, s.session.principalId, { limit: MFA_DEVICES_LISTED });
    if (usableDevices(await settingsOf(s.account.accountId), type, devices).length) {
      await sdeps.consoleStore.setStage(s.idHash, 'active');
      return null;
    }
    if (!post) return hooks.redirect('/console/mfa/assign?done=mfa-required');
    return hooks.respond(403, P.message({ title: 'Assign an MFA device first', who, text: MESSAGES.mustEnrol, link: { href: '/console/mfa/assign', label: 'Assign MFA device' } }));
  }

  /**
   * The self-service MFA pages under the settings: refused when users do not manage their own devices, and a type
   * the account does not allow cannot be enrolled. Null: go on. The root user always manages its own devices.
   */
  async function selfService(s: ActiveSession, path: string, post: boolean, form: ReadonlyMap<string, string>, who: NonNullable<P.Layout['who']>): Promise<ConsoleResponse | null> {
    if (!SELF_SERVICE.test(path) || s.session.principalType === 'root') return null;
    const settings = await settingsOf(s.account.accountId);
    if (!settings.selfManage && path !== '/console/mfa/assign/cancel') {
      return hooks.respond(403, P.message({ title: 'MFA devices are managed by administrators', who, text: MESSAGES.selfManageOff, link: { href: '/console/security-credentials', label: 'Back to Security credentials' } }));
    }
    const kind = path === '/console/mfa/assign' ? (post ? CHOICE_KIND[form.get('type') ?? ''] : undefined)
      : path === '/console/mfa/assign/app' ? (post ? 'virtual' : undefined)
        : path === '/console/mfa/assign/fido' ? 'fido'
          : path === '/console/mfa/assign/hardware' ? 'hardware' : undefined;
    if (kind && !typeAllowed(settings, kind)) {
      return hooks.respond(403, P.message({ title: 'Assign MFA device', who, text: MESSAGES.typeNotAllowed, link: { href: '/console/mfa/assign', label: 'Assign MFA device' } }));
    }
    return null;
  }

  /** The kinds the signed-in principal may enrol for itself. */
  async function ownKinds(s: ActiveSession): Promise<MfaDeviceKind[]> {
    return enrollableKinds(await settingsOf(s.account.accountId), s.session.principalType);
  }

  return { signedIn, emailStage, mfaStageView, trustCookies, enrolGate, selfService, ownKinds, whoOf };
}

const CODE_RECENTLY_SENT = 'A code was sent less than 30 seconds ago: use that one, or wait a moment before sending a new one.';
