// The web console at /console, served by the same server as the API (src/server/app routes /console* here).
// Sign-in (src/signin) turns a password, and a second factor when the principal has one, into a console session
// whose principal is a temporary credential. Every console action then runs exactly as a signed API call does:
// the operation's input is parsed and validated by the wire's own parser against the service model, the one
// authoriser (src/authz) decides with the principal's policies and MFA context, and the IAM handler does it. The
// console adds no rule of its own, so AWS's "deny all but MFA self-service without MFA" policy works here as on
// the API. Pages are server-rendered HTML forms (./pages.ts); state changes are POSTs carrying a CSRF token.
import { SigninSettingsStore } from '../store/signin-settings-store.js';
import { observe } from '../observe.js';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ISLANDS_OUT } from './islands/build-paths.js';
import type { IncomingHttpHeaders } from 'node:http';
import { ServiceError } from '../errors.js';
import { parseInput } from '../aws/query.js';
import { services } from '../aws/model.js';
import { iamHandlers } from '../iam/index.js';
import type { IamOperationName } from '../iam/index.js';
import { verifyMfaCode, resyncDevice, userOwner, rootOwner, enableRootMfaDevice, resyncRootMfaDevice } from '../iam/mfa-devices.js';
import type { IamOperations } from '../aws/handlers.js';
import type { Authorize, AuthzRequest } from '../authz/authorizer.js';
import type { ActionInput } from '../authz/request-context.js';
import type { Account, OperationContext, ServerConfig } from '../iam/context.js';
import type { CredentialResolver } from '../iam/principals.js';
import type { Db } from '../store/db.js';
import type { IamStore } from '../store/iam-store.js';
import type { MfaStore } from '../store/mfa-store.js';
import type { SessionStore } from '../store/session-store.js';
import type { SecretBox } from '../store/secrets.js';
import type { Account as StoredAccount, MfaDevice } from '../store/entities.js';
import { ConsoleStore } from '../store/console-store.js';
import { checkPassword } from '../signin/password.js';
import type { PasswordAttempt, PasswordFailure, PasswordPassed } from '../signin/password.js';
import { TooManySessions, endSession, randomToken, resolveSession, sameToken, startSession } from '../signin/session.js';
import type { ResolvedSession, SessionDeps, SigninSubject } from '../signin/session.js';
import type { SafeHtml } from './html.js';
import * as P from './pages.js';
import { DEVICE_KIND_LABEL, PAGE_NOTICES, deviceKind, deviceQuotaReached, MFA_QUOTA_REACHED, signinLinks, mfaLocked, parseCookies, userAgentOf } from './kit.js';
import type { Kit } from './kit.js';
import { routePages } from './pages/index.js';
import { ownAccessKeys } from './pages/access-keys.js';
import { loadSecurityView, securityPage } from './pages/security.js';
import type { AuditStore } from '../store/audit-store.js';
import type { AuditMonitor } from '../audit/monitor.js';
import { arn } from '../iam/arn.js';
import { consoleLoginEvent, consoleLogoutEvent } from '../events/records.js';
import type { RequestOrigin, SigninWho } from '../events/records.js';
import type { EventSink } from '../events/recorder.js';
import type { Principal } from '../iam/context.js';
import { chooseMfaType } from './pages/webauthn.js';
import { createWebauthnConsole } from './webauthn.js';
import { createSigninFlow } from './signin-flow.js';
import { createRecoveryConsole, RECOVERY_PATH } from './recovery.js';
import { ownSigninSections, recoveryOnHome } from './pages/recovery-codes.js';
import type { Mailer } from '../signin/mailer.js';
import type { Authorized, CeremonySession } from './webauthn.js';
import { deviceTypeOf } from '../mfa/index.js';
import type { GatehouseAction, GatehouseInput } from '../authz/gatehouse-actions.js';
import type { LookupEventsRequest, LookupEventsResponse } from '../aws/models/cloudtrail.generated.js';

export interface ConsoleDeps {
  readonly db: Db;
  readonly store: IamStore;
  readonly mfaStore: MfaStore;
  readonly sessions: SessionStore;
  readonly secrets: SecretBox;
  readonly credentials: CredentialResolver;
  readonly authorize: Authorize;
  readonly keyUsage: OperationContext['keyUsage'];
  readonly config: ServerConfig;
  readonly logger: OperationContext['logger'];
  /** The URL users reach (--public-url, else http(s)://localhost:PORT): the sign-in link is built from it. */
  readonly publicUrl: () => string;
  /** The continuous audit (src/server/monitoring.ts): its stored results, the monitor (null when off), the change hook. */
  readonly audit?: { readonly store: AuditStore; readonly monitor: AuditMonitor | null; changed(action: string): void } | undefined;
  /** The event history: sign-ins, sign-outs and the console's IAM calls (absent: nothing recorded). */
  readonly history?: ConsoleEvents | undefined;
  /** Outgoing mail for emailed sign-in codes (--smtp-url); null or absent: none can be sent. */
  readonly mailer?: Mailer | null | undefined;
}

/** What the console records into, and reads the history from (src/server/event-history.ts). */
export interface ConsoleEvents {
  readonly recorder: EventSink;
  onConsoleCall(call: ConsoleCall, origin: RequestOrigin): void;
  /** LookupEvents: the domain function the CloudTrail endpoint runs (src/events/lookup.ts). */
  lookup(ctx: OperationContext, input: LookupEventsRequest): Promise<LookupEventsResponse>;
}

/** One operation the console ran for its principal, answered: IAM's, CloudTrail's LookupEvents, or a Gatehouse action. */
export interface ConsoleCall {
  readonly service: 'iam' | 'cloudtrail' | 'gatehouse';
  readonly action: string;
  readonly region: string;
  readonly principal: Principal;
  readonly requestId: string;
  readonly input: object;
  readonly output?: object | undefined;
  readonly error?: { readonly code: string; readonly message: string } | undefined;
}

export interface ConsoleRequest {
  readonly method: string | undefined;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  /** null: larger than the server accepts. */
  readonly body: Buffer | null;
  readonly sourceIp: string | undefined;
  readonly secure: boolean;
}

export interface ConsoleResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: string;
}

export const SESSION_COOKIE = 'gatehouse_console';
/** The anonymous forms' CSRF token (double submit: this cookie and the form's field must match). */
export const FORM_COOKIE = 'gatehouse_form';

// AWS's own answer for any wrong account, user name, email or password.
export const INVALID_SIGNIN = 'Your authentication information is incorrect. Please try again.';
const MFA_INVALID = 'The MFA code is not valid. Wait for the next code and try again.';
const HARD_EXPIRED = 'Your password has expired, and only your administrator can reset it. Contact your administrator.';
const CSRF_REFUSED = 'This form did not come from this console session, or it has expired (missing or wrong CSRF token). Reload the page and try again.';

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

/** Fixed notices a redirect may ask for (never text from the request). */
const NOTICES: Readonly<Record<string, string>> = {
  'mfa-added': 'MFA device assigned. Sign out and sign in again with it to use actions that require MFA.',
  'mfa-removed': 'MFA device removed.',
  'mfa-resynced': 'MFA device resynchronised.',
  password: 'Your password has been changed.',
  'signed-out': 'You have signed out.',
  'audit-requested': 'An audit run was requested: reload this page in a moment for its results.',
};

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: string; readonly message: string };
export type ActiveSession = Extract<ResolvedSession, { kind: 'active' }>;
type MfaSession = Extract<ResolvedSession, { kind: 'mfa' }>;

/** A pending authenticator-app enrolment, kept sealed in the session until "Add MFA" or "Cancel". */
interface PendingApp { serial: string; base32: string; qr: string }


const deviceType = (serial: string): string => (deviceKind(serial) === 'virtual' ? 'Authenticator app (virtual MFA device)' : DEVICE_KIND_LABEL[deviceKind(serial)]);
const deviceChoice = (d: MfaDevice): P.DeviceChoice => ({ serial: d.serialNumber, label: `${d.serialNumber} (${deviceType(d.serialNumber)})` });
const callerAccount = ({ rootPasswordHash: _hash, ...account }: StoredAccount): Account => account;

/** Where a console request came from, as an event records it. */
const originOf = (req: ConsoleRequest): RequestOrigin => ({ sourceIp: req.sourceIp, userAgent: userAgentOf(req) });

export function createConsole(deps: ConsoleDeps): { owns(pathname: string): boolean; handle(req: ConsoleRequest): Promise<ConsoleResponse> } {
  const consoleStore = new ConsoleStore(deps.db);
  const sdeps: SessionDeps = { sessions: deps.sessions, secrets: deps.secrets, config: deps.config, consoleStore, credentials: deps.credentials };
  let lastPurge = 0;
  // Passkeys and security keys (./webauthn.ts): the ceremonies' pages, with this module's responses.
  const webauthn = createWebauthnConsole(deps, { respond: (status, body, extra) => respond(status, body, extra ?? {}), redirect: (location) => redirect(location) });
  // The account's MFA settings at sign-in and on the self-service MFA pages (./signin-flow.ts).
  const flow = createSigninFlow(deps, sdeps, {
    respond: (status, body) => respond(status, body), redirect: (location, cookies) => redirect(location, cookies),
    sessionCookie: (req, id) => cookie(SESSION_COOKIE, id, req), complete: (...a) => complete(...a), signinEvent: (...a) => signinEvent(...a),
  });
  // Recovery codes at sign-in, and their Copy button's script (./recovery.ts).
  const recovery = createRecoveryConsole(deps, { respond: (status, body, type) => respond(status, body, type ? { type } : {}), redirect: (location) => redirect(location), signinEvent: (...a) => signinEvent(...a) });

  function cookie(name: string, value: string, req: ConsoleRequest, o: { maxAge?: number; sameSite?: 'Lax' | 'Strict' } = {}): string {
    return `${name}=${value}; Path=/console; HttpOnly; SameSite=${o.sameSite ?? 'Lax'}${req.secure ? '; Secure' : ''}${o.maxAge !== undefined ? `; Max-Age=${o.maxAge}` : ''}`;
  }

  function respond(status: number, body: SafeHtml | string, extra: { cookies?: string[]; type?: string } = {}): ConsoleResponse {
    const headers: Record<string, string | string[]> = { ...SECURITY_HEADERS, 'content-type': extra.type ?? 'text/html; charset=utf-8' };
    if (extra.cookies?.length) headers['set-cookie'] = extra.cookies;
    return { status, headers, body: String(body) };
  }
  const redirect = (location: string, cookies: string[] = []): ConsoleResponse => {
    const r = respond(303, '', { cookies });
    return { ...r, headers: { ...r.headers, location } };
  };

  /** The OperationContext and the request of one console action, built as the server builds them for a signed call. */
  function operation(s: ActiveSession, req: ConsoleRequest, action: IamOperationName | GatehouseAction | 'LookupEvents', input: object, service: 'iam' | 'gatehouse' | 'cloudtrail' = 'iam'): { ctx: OperationContext; request: AuthzRequest } {
    const requestId = randomUUID();
    const ctx: OperationContext = {
      db: deps.db, store: deps.store, mfaStore: deps.mfaStore, sessions: deps.sessions, secrets: deps.secrets,
      account: s.account, principal: s.principal, config: deps.config, now: new Date(), requestId,
      onCredentialChange: (id: string) => deps.credentials.forget(id), keyUsage: deps.keyUsage, logger: deps.logger, events: deps.history?.recorder,
    };
    const request: AuthzRequest = {
      // The authoriser reads only the members that carry condition keys (Tags, PolicyArn…); most inputs have none.
      service, action, input: input as ActionInput, requestId, sourceIp: req.sourceIp, secure: req.secure,
      auth: { accessKeyId: s.principal.accessKeyId, region: 'us-east-1', service: service === 'cloudtrail' ? 'cloudtrail' : 'iam' },
    };
    return { ctx, request };
  }

  async function outcome<T>(run: () => Promise<T>): Promise<Outcome<T>> {
    try {
      return { ok: true, value: await run() };
    } catch (e) {
      if (e instanceof ServiceError) return { ok: false, code: e.code, message: e.message };
      throw e;
    }
  }

  /**
   * An IAM operation on behalf of the console's principal, exactly as the API endpoint runs a signed request: the
   * model's parser and validation, the authoriser, the handler, with an OperationContext built as the server does.
   */
  async function call<K extends IamOperationName>(s: ActiveSession, req: ConsoleRequest, action: K, params: Record<string, string>): Promise<Outcome<IamOperations[K]['output']>> {
    const seen: { requestId: string; input: object } = { requestId: randomUUID(), input: {} };
    const r = await outcome(async () => {
      // The wire's own parser checks the parameters against the model, as for a signed request; as on the wire, its
      // result is the operation's input type because it follows that operation's model.
      const model = services.iam.operations[action];
      if (!model) throw new Error(`the IAM model has no operation ${action}`);
      const input = parseInput(services.iam, model, new Map(Object.entries(params))) as IamOperations[K]['input'];
      seen.input = input;
      const { ctx, request } = operation(s, req, action, input);
      seen.requestId = ctx.requestId;
      const authz = await deps.authorize(ctx, request);
      const handler = iamHandlers[action];
      const output = await handler(authz ? { ...ctx, authz } : ctx, input, request);
      deps.audit?.changed(action);
      return output;
    });
    recordCall(s, req, action, seen, r);
    return r;
  }

  /** The event of a console action, as for a signed call (src/server/event-history.ts builds it later). */
  function recordCall(s: ActiveSession, req: ConsoleRequest, action: string, seen: { requestId: string; input: object }, r: Outcome<unknown>, service: ConsoleCall['service'] = 'iam'): void {
    deps.history?.onConsoleCall({
      service, action, region: 'us-east-1', principal: s.principal, requestId: seen.requestId, input: seen.input,
      ...(r.ok ? { output: (r.value ?? undefined) as object | undefined } : { error: { code: r.code, message: r.message } }), // an operation's output: an object
    }, originOf(req));
  }

  /**
   * EnableMFADevice and ResyncMFADevice for the root user: the API's model requires a UserName, which root has
   * not (AWS enrols root's devices in the console only). The same authoriser decides on the same action, then the
   * same domain function the handler calls runs for the root owner.
   */
  async function callForRoot(s: ActiveSession, req: ConsoleRequest, action: 'EnableMFADevice' | 'ResyncMFADevice', params: { SerialNumber: string; AuthenticationCode1: string; AuthenticationCode2: string }): Promise<Outcome<void>> {
    const seen: { requestId: string; input: object } = { requestId: randomUUID(), input: params };
    const r = await outcome(async () => {
      const { ctx, request } = operation(s, req, action, params);
      seen.requestId = ctx.requestId;
      await deps.authorize(ctx, request);
      const run = action === 'EnableMFADevice' ? enableRootMfaDevice : resyncRootMfaDevice;
      await run(ctx, params.SerialNumber, params.AuthenticationCode1, params.AuthenticationCode2);
      deps.audit?.changed(action);
    });
    recordCall(s, req, action, seen, r);
    return r;
  }

  /** Enable or resync one's own device: IAM users through the API operation (with their UserName), root as above. */
  function ownDevice(s: ActiveSession, req: ConsoleRequest, action: 'EnableMFADevice' | 'ResyncMFADevice', params: { SerialNumber: string; AuthenticationCode1: string; AuthenticationCode2: string }): Promise<Outcome<unknown>> {
    if (s.principal.kind === 'root') return callForRoot(s, req, action, params);
    const userName = s.principal.kind === 'user' ? s.principal.userName : '';
    return call(s, req, action, { ...params, UserName: userName });
  }

  /** A Gatehouse action (src/authz/gatehouse-actions.ts) for the session's principal: the same authoriser, nothing run. */
  const authorizeGatehouse = (s: ActiveSession, req: ConsoleRequest, action: GatehouseAction, input: GatehouseInput = {}): Promise<Outcome<void>> => outcome(async () => {
    const { ctx, request } = operation(s, req, action, input, 'gatehouse');
    await deps.authorize(ctx, request);
  });

  /** A Gatehouse action authorised, run and recorded (eventSource "gatehouse") like an IAM operation through call(). */
  async function gatehouse<T>(s: ActiveSession, req: ConsoleRequest, action: GatehouseAction, input: GatehouseInput, run: (ctx: OperationContext) => Promise<T>): Promise<Outcome<T>> {
    const seen: { requestId: string; input: object } = { requestId: randomUUID(), input };
    const r = await outcome(async () => {
      const { ctx, request } = operation(s, req, action, input, 'gatehouse');
      seen.requestId = ctx.requestId;
      await deps.authorize(ctx, request);
      return run(ctx);
    });
    recordCall(s, req, action, seen, r, 'gatehouse');
    return r;
  }

  /** CloudTrail's LookupEvents for the Event history page: authorised as cloudtrail:LookupEvents, recorded as the API's. */
  async function lookupEvents(s: ActiveSession, req: ConsoleRequest, input: LookupEventsRequest): Promise<Outcome<LookupEventsResponse>> {
    const history = deps.history;
    if (!history) return { ok: false, code: 'UnsupportedOperationException', message: 'The event history is not available on this server.' };
    const seen: { requestId: string; input: object } = { requestId: randomUUID(), input };
    const r = await outcome(async () => {
      const { ctx, request } = operation(s, req, 'LookupEvents', input, 'cloudtrail');
      seen.requestId = ctx.requestId;
      await deps.authorize(ctx, request);
      return history.lookup(ctx, input);
    });
    // The page's reads are recorded like the API's (not their output: LookupEvents records no responseElements).
    recordCall(s, req, 'LookupEvents', seen, r.ok ? { ok: true, value: undefined } : r, 'cloudtrail');
    return r;
  }

  /** A change the principal makes to its own sign-in protections (no policy needed), recorded as a Gatehouse event. */
  const recordOwn = (s: ActiveSession, req: ConsoleRequest, action: string, input: object): void =>
    recordCall(s, req, action, { requestId: randomUUID(), input }, { ok: true, value: undefined }, 'gatehouse');

  const kit: Kit = { deps, consoleStore, call, ownDevice, authorizeGatehouse, gatehouse, lookupEvents, recordOwn, respond, redirect };
  /** IAM actions authorised for the session's principal as callForRoot does, for ./webauthn.ts. */
  const authorizedFor = (s: ActiveSession, req: ConsoleRequest): Authorized => (action, params, run) => outcome(async () => {
    const { ctx, request } = operation(s, req, action, params);
    await deps.authorize(ctx, request);
    return run(ctx);
  });
  const ceremonyOf = (s: ActiveSession): CeremonySession => ({
    idHash: s.idHash, csrf: s.session.csrf, who: who(s),
    subject: { account: s.account, type: s.principal.kind === 'root' ? 'root' : 'user', id: s.session.principalId, mustChangePassword: false },
  });

  const who = (s: ActiveSession): NonNullable<P.Layout['who']> => ({
    label: s.principal.kind === 'root' ? `Root user (${s.account.rootEmail})` : `${s.principal.kind === 'user' ? s.principal.userName : s.principal.arn} @ ${s.account.alias ?? s.account.accountId}`,
    csrf: s.session.csrf,
  });

  function pendingOf(s: ActiveSession): PendingApp | null {
    if (!s.session.pendingEnc) return null;
    const parsed: PendingApp = JSON.parse(deps.secrets.open(s.session.pendingEnc, `console-pending:${s.idHash}`).toString('utf8')); // sealed by this module
    return parsed;
  }

  // ---------------------------------------------------------------------------------------------
  // Sign-in

  /** After the password: the account's MFA settings decide what comes next (./signin-flow.ts). */
  const signedIn = (req: ConsoleRequest, passed: PasswordPassed): Promise<ConsoleResponse> => flow.signedIn(req, passed);

  /** A ConsoleLogin event: success or failure, with or without a second factor (or a trusted device, or an emailed code). */
  function signinEvent(req: ConsoleRequest, who: SigninWho | (() => Promise<SigninWho>), success: boolean, mfaSerial: string | null, time: Date,
    o: { via?: 'trusted-device' | 'email-otp'; failureMessage?: string } = {}): void {
    const origin = originOf(req);
    const consoleUrl = `${req.secure ? 'https' : 'http'}://${String(req.headers.host ?? 'localhost')}/console`;
    deps.history?.recorder.record(async () => consoleLoginEvent({
      who: typeof who === 'function' ? await who() : who, success, mfaUsed: mfaSerial !== null, mfaSerial: mfaSerial ?? undefined, consoleUrl, time, ...origin,
      via: o.via, failureMessage: o.failureMessage,
    }));
  }

  async function complete(req: ConsoleRequest, subject: SigninSubject, mfa: { at: Date; serial: string } | null, now: Date,
    o: { stage?: 'enrol'; cookies?: string[] } = {}): Promise<ConsoleResponse> {
    let id: string;
    try {
      id = await startSession(sdeps, subject, mfa, now, o.stage ?? 'active');
    } catch (e) {
      if (e instanceof TooManySessions) return respond(429, P.message({ title: 'Sign in', text: 'Too many sessions were started for this user: wait a minute, then sign in again.', link: { href: '/console', label: 'Sign in' } }));
      throw e;
    }
    observe({ kind: 'sign-in', outcome: 'success', mfa: mfa !== null });
    const when = now.toISOString();
    if (subject.type === 'user') await deps.store.setPasswordLastUsed(subject.id, when);
    else await consoleStore.setRootPasswordLastUsed(subject.account.accountId, when);
    if (now.getTime() - lastPurge > 3600_000) {
      lastPurge = now.getTime();
      await consoleStore.purgeExpired(now.getTime());
      await new SigninSettingsStore(deps.db).purgeExpiredTrustedDevices(now.getTime());
    }
    return redirect(subject.mustChangePassword ? '/console/password' : '/console', [cookie(SESSION_COOKIE, id, req, { maxAge: 12 * 3600 }), ...(o.cookies ?? [])]);
  }

  function failure(f: PasswordFailure): { status: number; text: string } {
    observe({ kind: 'sign-in', outcome: 'failure', mfa: false });
    switch (f.reason) {
      case 'throttled': {
        const minutes = Math.max(1, Math.ceil(f.retryAfterMs / 60_000));
        return { status: 429, text: `Too many sign-in attempts. Wait ${minutes} minute${minutes > 1 ? 's' : ''}, then try again.` };
      }
      case 'mfa-locked': return { status: 429, text: mfaLocked(f.lockedUntil) };
      case 'hard-expired': return { status: 403, text: HARD_EXPIRED };
      default: return { status: 401, text: INVALID_SIGNIN };
    }
  }

  async function passwordSignin(req: ConsoleRequest, attempt: PasswordAttempt): Promise<PasswordPassed | PasswordFailure> {
    return checkPassword({ store: deps.store, mfaStore: deps.mfaStore, consoleStore }, attempt, req.sourceIp, new Date());
  }

  async function mfaStage(req: ConsoleRequest, s: MfaSession, path: string, form: Map<string, string>): Promise<ConsoleResponse> {
    const accountRow = await consoleStore.accountById(s.session.accountId);
    if (!accountRow) return redirect('/console/cancel');
    const account = callerAccount(accountRow);
    const type = s.session.principalType;
    // The devices of the types the account's settings allow (./signin-flow.ts); "This is a trusted device" when context-aware.
    const { offered: all, trust, recovery: recoveryOn } = await flow.mfaStageView(account.accountId, type, await deps.mfaStore.listForOwner(account.accountId, type, s.session.principalId, { limit: 8 }));
    if (!all.length) return redirect('/console/cancel');
    // Code devices here; passkeys and security keys in ./webauthn.ts. With both, the user chooses the type first.
    const devices = all.filter((d) => deviceTypeOf(d.kind).factor === 'code');
    const subject: SigninSubject = { account, type, id: s.session.principalId, mustChangePassword: s.session.mustChangePassword };
    // Who signed in, read when the event is written (off this request's path).
    const who = flow.whoOf(account, s);
    if (path === RECOVERY_PATH) return recovery.signin(req, { idHash: s.idHash, csrf: s.session.csrf, subject }, form, who, async (mfa) => { await endSession(sdeps, s.idHash); return complete(req, subject, mfa, mfa.at); });
    if (path === '/console/mfa/webauthn') {
      if (!all.some((d) => deviceTypeOf(d.kind).factor !== 'code')) return redirect('/console/mfa?type=code');
      return webauthn.signin(req, { idHash: s.idHash, csrf: s.session.csrf, subject, extraFields: trust, recovery: recoveryOn }, form, async (serial) => {
        await endSession(sdeps, s.idHash);
        const at = new Date();
        signinEvent(req, who, true, serial, at);
        return complete(req, subject, { at, serial }, at, { cookies: await flow.trustCookies(req, subject, { at, serial }, form) });
      });
    }
    if (!devices.length) return redirect('/console/mfa/webauthn');
    if (devices.length < all.length && path === '/console/mfa' && req.method !== 'POST' && req.url.searchParams.get('type') !== 'code') return respond(200, chooseMfaType(recoveryOn));
    const choices = devices.map(deviceChoice);
    const failures = s.session.mfaFailures;
    const now = new Date();
    const mfaCtx = { db: deps.db, mfaStore: deps.mfaStore, secrets: deps.secrets, account, now, store: deps.store, events: deps.history?.recorder };
    const serial = form.get('serial') ?? '';
    const known = devices.some((d) => d.serialNumber === serial);

    if (path === '/console/mfa/resync') {
      if (req.method !== 'POST') return respond(200, P.mfaResyncAtSignin({ csrf: s.session.csrf, devices: choices }));
      if (!known) return respond(400, P.mfaResyncAtSignin({ csrf: s.session.csrf, devices: choices, error: 'Choose one of your MFA devices.' }));
      const owner = type === 'root' ? rootOwner({ account }) : await deps.store.getUserById(s.session.principalId).then((u) => (u ? userOwner(u) : null));
      if (!owner) return redirect('/console/cancel');
      try {
        // The same domain function as ResyncMFADevice (and its throttle): the password was proven a moment ago.
        await resyncDevice(mfaCtx, owner, serial, form.get('code1') ?? '', form.get('code2') ?? '');
      } catch (e) {
        if (!(e instanceof ServiceError)) throw e;
        return respond(400, P.mfaResyncAtSignin({ csrf: s.session.csrf, devices: choices, error: 'The codes are not valid for this device. Enter two consecutive codes.' }));
      }
      return respond(200, P.mfaCode({ csrf: s.session.csrf, extra: trust, recovery: recoveryOn, devices: choices, suggestResync: false, notice: 'Your MFA device is resynchronised: sign in with its next code.' }));
    }

    if (req.method !== 'POST') return respond(200, P.mfaCode({ csrf: s.session.csrf, extra: trust, recovery: recoveryOn, devices: choices, suggestResync: failures >= 2 }));
    const r = await verifyMfaCode(mfaCtx, { serialNumber: known ? serial : '', ownerType: type, ownerId: s.session.principalId, code: form.get('code') ?? '' });
    signinEvent(req, who, r.ok, known ? serial : (devices[0]?.serialNumber ?? ''), now);
    if (r.ok) {
      await endSession(sdeps, s.idHash);
      return complete(req, subject, { at: now, serial }, now, { cookies: await flow.trustCookies(req, subject, { at: now, serial }, form) });
    }
    observe({ kind: 'sign-in', outcome: 'failure', mfa: true });
    if (r.reason === 'locked') return respond(429, P.mfaCode({ csrf: s.session.csrf, extra: trust, recovery: recoveryOn, devices: choices, suggestResync: true, error: mfaLocked(r.lockedUntil) }));
    await consoleStore.countMfaFailure(s.idHash);
    return respond(401, P.mfaCode({ csrf: s.session.csrf, extra: trust, recovery: recoveryOn, devices: choices, suggestResync: failures + 1 >= 2, error: MFA_INVALID }));
  }

  // ---------------------------------------------------------------------------------------------
  // Signed in

  async function active(req: ConsoleRequest, s: ActiveSession, path: string, form: Map<string, string>, notice: string | undefined): Promise<ConsoleResponse> {
    const post = req.method === 'POST';
    const w = who(s);
    const forced = s.session.mustChangePassword;

    if (path === '/console/signout' && post) {
      await endSession(sdeps, s.idHash);
      deps.history?.recorder.record(consoleLogoutEvent(s.principal, originOf(req), new Date()));
      return redirect('/console?done=signed-out', [cookie(SESSION_COOKIE, '', req, { maxAge: 0 })]);
    }
    // A password that must change comes before anything else.
    if (forced && path !== '/console/password') return redirect('/console/password');
    // Then the account's MFA settings: enrolment required before anything else, self-service and allowed types.
    const held = await flow.enrolGate(s, path, post, w) ?? await flow.selfService(s, path, post, form, w);
    if (held) return held;

    if (path === '/console/password') {
      if (!post) return respond(200, P.changePassword({ who: w, csrf: s.session.csrf, forced, notice }));
      const next = form.get('new') ?? '';
      if (next !== (form.get('confirm') ?? '')) return respond(400, P.changePassword({ who: w, csrf: s.session.csrf, forced, error: 'The new password and its confirmation differ.' }));
      const r = await call(s, req, 'ChangePassword', { OldPassword: form.get('old') ?? '', NewPassword: next });
      if (!r.ok) return respond(r.code === 'AccessDenied' ? 403 : 400, P.changePassword({ who: w, csrf: s.session.csrf, forced, error: r.message }));
      if (forced) await consoleStore.setMustChangePassword(s.idHash, false);
      return redirect('/console?done=password');
    }

    if (path === '/console' && !post) {
      const r = await call(s, req, 'GetAccountSummary', {});
      const links = signinLinks(deps.publicUrl(), s.account);
      return respond(200, P.dashboard({
        who: w, notice, recoveryCodes: await recoveryOnHome(kit, s), accountId: s.account.accountId, alias: s.account.alias, signinLinks: links,
        summary: r.ok ? { ok: true, value: r.value.SummaryMap ?? {} } : { ok: false, denied: r.message },
        mfaPresent: Boolean(s.principal.session?.mfaAuthenticatedAt),
      }));
    }

    if (path === '/console/security-credentials' && !post) return securityCredentials(req, s, notice);

    // The Security page: reading it is authorised as iam:GetCredentialReport, running the audit now as
    // iam:GenerateCredentialReport, by the same authoriser as the API (docs/audit.md "The Security page").
    if ((path === '/console/security' && !post) || (path === '/console/security/run' && post)) {
      const audit = deps.audit;
      const allowed = (action: 'GetCredentialReport' | 'GenerateCredentialReport'): Promise<Outcome<unknown>> => outcome(async () => {
        const { ctx, request } = operation(s, req, action, {});
        return deps.authorize(ctx, request);
      });
      const read = await allowed('GetCredentialReport');
      if (!read.ok || !audit) {
        return respond(read.ok ? 404 : 403, P.message({ title: 'Security', who: w, text: read.ok ? 'The audit is not available on this server.' : read.message, link: { href: '/console', label: 'Console home' } }));
      }
      const run = await allowed('GenerateCredentialReport');
      if (post) {
        if (!run.ok) return respond(403, P.message({ title: 'Security', who: w, text: run.message, link: { href: '/console/security', label: 'Back to Security' } }));
        audit.monitor?.requestRun();
        return redirect('/console/security?done=audit-requested');
      }
      const view = await loadSecurityView(audit.store, s.account.accountId, { kind: s.principal.kind, arn: s.principal.arn }, audit.monitor !== null);
      return respond(200, securityPage({ who: w, csrf: s.session.csrf, notice, view, canRun: run.ok && audit.monitor !== null }));
    }

    if (path === '/console/mfa/assign') {
      const pending = pendingOf(s);
      if (!post) return pending ? redirect('/console/mfa/assign/app') : respond(200, P.assignMfa({ who: w, csrf: s.session.csrf, notice, kinds: await flow.ownKinds(s) }));
      const name = (form.get('name') ?? '').trim();
      if (pending) return redirect('/console/mfa/assign/app');
      if (await deviceQuotaReached(kit, s, req)) return respond(409, P.assignMfa({ who: w, csrf: s.session.csrf, name, error: MFA_QUOTA_REACHED }));
      if (form.get('type') === 'fido') return webauthn.startRegistration(req, ceremonyOf(s), name, authorizedFor(s, req));
      if (form.get('type') === 'hardware') return redirect('/console/mfa/assign/hardware');
      if (form.get('type') !== 'app') return respond(400, P.assignMfa({ who: w, csrf: s.session.csrf, name, error: 'Choose the type of MFA device.' }));
      if (!name) return respond(400, P.assignMfa({ who: w, csrf: s.session.csrf, name, error: 'Enter a device name.' }));
      const r = await call(s, req, 'CreateVirtualMFADevice', { VirtualMFADeviceName: name });
      if (!r.ok) return respond(r.code === 'AccessDenied' ? 403 : 400, P.assignMfa({ who: w, csrf: s.session.csrf, name, error: r.message }));
      const d = r.value.VirtualMFADevice;
      const app: PendingApp = {
        serial: d.SerialNumber,
        base32: Buffer.from(d.Base32StringSeed ?? new Uint8Array()).toString('ascii'),
        qr: `data:image/png;base64,${Buffer.from(d.QRCodePNG ?? new Uint8Array()).toString('base64')}`,
      };
      await consoleStore.setPending(s.idHash, deps.secrets.seal(JSON.stringify(app), `console-pending:${s.idHash}`));
      return redirect('/console/mfa/assign/app');
    }

    if (path === '/console/mfa/assign/app') {
      const pending = pendingOf(s);
      if (!pending) return redirect('/console/mfa/assign');
      const view = (error?: string): SafeHtml => P.assignApp({ who: w, csrf: s.session.csrf, serial: pending.serial, qrDataUri: pending.qr, base32: pending.base32, error });
      if (!post) return respond(200, view());
      const r = await ownDevice(s, req, 'EnableMFADevice', { SerialNumber: pending.serial, AuthenticationCode1: form.get('code1') ?? '', AuthenticationCode2: form.get('code2') ?? '' });
      if (!r.ok) {
        const text = r.code === 'InvalidAuthenticationCode' ? 'The codes are not valid. Enter two consecutive codes from the app (wait for a new code between them).'
          : r.code === 'LimitExceeded' ? MFA_QUOTA_REACHED : r.message;
        return respond(r.code === 'AccessDenied' ? 403 : 400, view(text));
      }
      await consoleStore.setPending(s.idHash, null);
      return redirect('/console/security-credentials?done=mfa-added');
    }

    if (path === '/console/mfa/assign/fido') return webauthn.finishRegistration(req, ceremonyOf(s), form, authorizedFor(s, req));

    if (path === '/console/mfa/assign/cancel' && post) {
      const pending = pendingOf(s);
      await consoleStore.setPending(s.idHash, null);
      // The device was never enabled: delete it, if the caller's policies allow (else it stays Unassigned).
      if (pending) await call(s, req, 'DeleteVirtualMFADevice', { SerialNumber: pending.serial });
      return redirect('/console/security-credentials');
    }

    if (path === '/console/mfa/device/resync') {
      const serial = post ? form.get('serial') ?? '' : req.url.searchParams.get('serial') ?? '';
      if (!post) return respond(200, P.resyncDevice({ who: w, csrf: s.session.csrf, serial }));
      const r = await ownDevice(s, req, 'ResyncMFADevice', { SerialNumber: serial, AuthenticationCode1: form.get('code1') ?? '', AuthenticationCode2: form.get('code2') ?? '' });
      if (!r.ok) return respond(r.code === 'AccessDenied' ? 403 : 400, P.resyncDevice({ who: w, csrf: s.session.csrf, serial, error: r.code === 'InvalidAuthenticationCode' ? 'The codes are not valid for this device.' : r.message }));
      return redirect('/console/security-credentials?done=mfa-resynced');
    }

    if (path === '/console/mfa/device/remove' && post) {
      const serial = form.get('serial') ?? '';
      const r = await call(s, req, 'DeactivateMFADevice', { SerialNumber: serial });
      if (!r.ok) return securityCredentials(req, s, undefined, r.message, r.code === 'AccessDenied' ? 403 : 400);
      // AWS's console deletes a removed virtual device; a hardware token goes back to the inventory.
      if (deviceKind(serial) === 'virtual') await call(s, req, 'DeleteVirtualMFADevice', { SerialNumber: serial });
      return redirect('/console/security-credentials?done=mfa-removed');
    }

    const routed = await routePages(kit, { req, s, path, post, form, notice, who: w });
    if (routed) return routed;
    return respond(404, P.message({ title: 'Not found', text: 'There is no such page in the console.', who: w, link: { href: '/console', label: 'Console home' } }));
  }

  async function securityCredentials(req: ConsoleRequest, s: ActiveSession, notice?: string, error?: string, status = 200): Promise<ConsoleResponse> {
    const r = await call(s, req, 'ListMFADevices', {});
    // A device of a type the account's MFA settings do not allow stays listed, marked (sign-in does not offer it).
    const kinds = await flow.ownKinds(s);
    const typeOf = (serial: string): string => `${deviceType(serial)}${kinds.includes(deviceKind(serial)) ? '' : ' (not allowed by the account\'s MFA settings)'}`;
    const devices = r.ok
      ? { ok: true as const, value: r.value.MFADevices.map((d) => ({ serial: d.SerialNumber, type: typeOf(d.SerialNumber), created: d.EnableDate.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC'), totp: deviceKind(d.SerialNumber) !== 'fido' })) }
      : { ok: false as const, denied: r.message };
    const accessKeys = await ownAccessKeys(kit, s, req);
    return respond(status, P.securityCredentials({ who: who(s), csrf: s.session.csrf, notice, error, devices, canChangePassword: s.principal.kind === 'user', accessKeys, signin: await ownSigninSections(kit, s) }));
  }

  // ---------------------------------------------------------------------------------------------

  /** The islands (./islands/*.browser.ts: WebAuthn's ceremonies, the recovery codes' Copy button), bundled by npm run build; each read once. */
  const islands = new Map<string, Promise<string | null>>();
  async function serveIsland(file: string): Promise<ConsoleResponse> {
    let js = islands.get(file);
    if (!js) {
      js = readFile(join(ISLANDS_OUT, file), 'utf8').catch(() => {
        deps.logger.error({ file: join(ISLANDS_OUT, file) }, 'a console script is not built: run npm run build');
        islands.delete(file);
        return null;
      });
      islands.set(file, js);
    }
    const text = await js;
    const r = text === null
      ? respond(404, '/* not built: npm run build */', { type: 'text/javascript; charset=utf-8' })
      : respond(200, text, { type: 'text/javascript; charset=utf-8' });
    return { ...r, headers: { ...r.headers, 'cache-control': 'public, max-age=3600' } };
  }

  async function handle(req: ConsoleRequest): Promise<ConsoleResponse> {
    let path = req.url.pathname;
    if (path.length > '/console'.length && path.endsWith('/')) path = path.slice(0, -1);
    if (path === '/console/static/console.css') {
      const r = respond(200, P.CSS, { type: 'text/css; charset=utf-8' });
      return { ...r, headers: { ...r.headers, 'cache-control': 'public, max-age=3600' } };
    }
    const island = /^\/console\/static\/(webauthn|copy)\.js$/.exec(path)?.[1];
    if (island) return serveIsland(`${island}.js`);
    if (req.body === null) return respond(413, P.message({ title: 'Request too large', text: 'The form was larger than the server accepts.' }));
    const post = req.method === 'POST';
    if (!post && req.method !== 'GET' && req.method !== 'HEAD') return respond(405, P.message({ title: 'Method not allowed', text: 'The console answers GET and POST only.' }));
    const cookies = parseCookies(req.headers.cookie);
    // A form's fields (the first of a repeated name counts).
    const form = new Map<string, string>();
    if (post) for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) if (!form.has(k)) form.set(k, v);
    const doneKey = req.url.searchParams.get('done');
    // Own keys only (?done=constructor names no notice).
    const notice = doneKey === null ? undefined : Object.hasOwn(NOTICES, doneKey) ? NOTICES[doneKey] : Object.hasOwn(PAGE_NOTICES, doneKey) ? PAGE_NOTICES[doneKey] : undefined;

    const now = new Date();
    const s = await resolveSession(sdeps, cookies.get(SESSION_COOKIE), now);
    const anonymousRoute = ['/console/signin', '/console/root', '/console/root/signin'].includes(path) || ((s.kind === 'none' || s.kind === 'ended') && path === '/console');

    // The anonymous forms' token, set on the first page that shows one.
    let formToken = cookies.get(FORM_COOKIE);
    const setCookies: string[] = [];
    if (!formToken || !/^[\w-]{43}$/.test(formToken)) {
      formToken = randomToken();
      setCookies.push(cookie(FORM_COOKIE, formToken, req, { sameSite: 'Strict' }));
    }
    const withForm = (r: ConsoleResponse): ConsoleResponse => (setCookies.length ? { ...r, headers: { ...r.headers, 'set-cookie': [...setCookies, ...[r.headers['set-cookie'] ?? []].flat()] } } : r);

    if (post) {
      const expected = anonymousRoute ? cookies.get(FORM_COOKIE) : s.kind === 'active' || s.kind === 'mfa' ? s.session.csrf : undefined;
      if (!sameToken(form.get('csrf'), expected)) {
        return withForm(respond(403, P.message({ title: 'Form refused', text: CSRF_REFUSED, link: { href: '/console', label: 'Back to the console' } })));
      }
    }

    if (anonymousRoute) {
      const signinAgain = s.kind === 'ended' ? 'Your session has ended. Sign in again.' : notice;
      if (path === '/console') {
        return withForm(respond(200, P.signinUser({ csrf: formToken, account: req.url.searchParams.get('account') ?? undefined, notice: signinAgain })));
      }
      if (path === '/console/signin') {
        if (!post) return redirect('/console');
        const account = form.get('account') ?? '';
        const userName = form.get('username') ?? '';
        const r = await passwordSignin(req, { kind: 'user', account, userName, password: form.get('password') ?? '' });
        if (r.ok) return signedIn(req, r);
        signinEvent(req, r.who, false, null, new Date());
        const f = failure(r);
        return withForm(respond(f.status, P.signinUser({ csrf: formToken, account, userName, error: f.text })));
      }
      if (path === '/console/root') {
        if (!post) return withForm(respond(200, P.signinRootEmail({ csrf: formToken })));
        const email = (form.get('email') ?? '').trim();
        if (!email) return withForm(respond(400, P.signinRootEmail({ csrf: formToken, error: 'Enter the root user email address.' })));
        // Any address goes on to the password: whether an account has it is never told.
        return withForm(respond(200, P.signinRootPassword({ csrf: formToken, email })));
      }
      if (path === '/console/root/signin') {
        if (!post) return redirect('/console/root');
        const email = (form.get('email') ?? '').trim();
        const r = await passwordSignin(req, { kind: 'root', email, password: form.get('password') ?? '' });
        if (r.ok) return signedIn(req, r);
        signinEvent(req, r.who, false, null, new Date());
        const f = failure(r);
        return withForm(respond(f.status, P.signinRootPassword({ csrf: formToken, email, error: f.text })));
      }
    }

    if (path === '/console/cancel') {
      if (s.kind === 'mfa') await endSession(sdeps, s.idHash);
      return redirect('/console', [cookie(SESSION_COOKIE, '', req, { maxAge: 0 })]);
    }
    if (s.kind === 'mfa') {
      if (s.session.stage === 'email-otp') return flow.emailStage(req, s, path, form);
      if (path === '/console/mfa' || path === '/console/mfa/resync' || path === '/console/mfa/webauthn' || path === RECOVERY_PATH) return mfaStage(req, s, path, form);
      return redirect('/console/mfa');
    }
    if (s.kind !== 'active') return redirect('/console');
    return active(req, s, path, form, notice);
  }

  return {
    owns: (pathname) => pathname === '/console' || pathname.startsWith('/console/'),
    handle,
  };
}
