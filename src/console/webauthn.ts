// Passkeys and security keys in the console: "Assign MFA device" → "Passkey or security key" (the WebAuthn
// registration ceremony) and the second factor at sign-in (the authentication ceremony). The ceremonies' options
// and checks are src/mfa/webauthn.ts; enrolment and the assertion check are the domain's (src/iam/fido-devices.ts,
// under the same per-principal throttle as every MFA code); enrolment is authorised as iam:EnableMFADevice by the
// one authoriser, as the API would. The outstanding challenge lives in the console session's row and is taken
// once. The relying party comes from the public URL (--public-url, default http://localhost:PORT).
import { authenticationOptions, registrationOptions, relyingParty, verifyRegistration } from '../mfa/webauthn.js';
import type { RelyingParty } from '../mfa/webauthn.js';
import { FIDO_NAME_RE, enableFidoDevice, fidoCredentialsOf, verifyFidoAssertion } from '../iam/fido-devices.js';
import { rootOwner, userOwner, MFA_DEVICES_PER_PRINCIPAL } from '../iam/mfa-devices.js';
import type { Owner } from '../iam/mfa-devices.js';
import type { OperationContext } from '../iam/context.js';
import { FidoStore } from '../store/fido-store.js';
import type { SigninSubject } from '../signin/session.js';
import type { SafeHtml } from './html.js';
import * as W from './pages/webauthn.js';
import { assignMfa } from './pages.js';
import type { Layout } from './pages.js';
import type { ConsoleDeps, ConsoleRequest, ConsoleResponse } from './index.js';

/** A challenge older than this is refused (the browser's own timeout is 2 minutes). */
const CHALLENGE_MS = 5 * 60_000;

const FIDO_REFUSED = 'The passkey or security key was not accepted. Try again, or use another MFA device.';
const FIDO_CLONED = 'This passkey or security key was refused: its signature counter went backwards, as a copied (cloned) key\'s does. Use another MFA device, or ask your administrator to remove this one.';
const FIDO_LOCKED = 'Too many failed attempts for this sign-in. Wait a few minutes, then try again.';
const EXPIRED = 'This request has expired or was already used. Try again.';

interface Challenge { readonly purpose: 'register' | 'authenticate'; readonly challenge: string; readonly at: number; readonly name?: string | undefined }

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: string; readonly message: string };

/** What the console (./index.ts) lends this module. */
export interface WebauthnHooks {
  respond(status: number, body: SafeHtml | string, extra?: { type?: string }): ConsoleResponse;
  redirect(location: string): ConsoleResponse;
}

/** An IAM action authorised for the session's principal exactly as the API would authorise it, then fn in its context. */
export type Authorized = <T>(action: 'EnableMFADevice', params: Record<string, string>, fn: (ctx: OperationContext) => Promise<T>) => Promise<Outcome<T>>;

/** A console session as the ceremonies need it: its row's hash and CSRF token, who it is, and (signed in) the page header. */
export interface CeremonySession {
  readonly idHash: string; readonly csrf: string; readonly subject: SigninSubject; readonly who?: Layout['who'];
  /** More fields of the sign-in form ("This is a trusted device"). */
  readonly extraFields?: SafeHtml | undefined;
  /** At sign-in: offer "Use a recovery code". */
  readonly recovery?: boolean | undefined;
}

export function createWebauthnConsole(deps: ConsoleDeps, hooks: WebauthnHooks) {
  const fido = new FidoStore(deps.db);

  // The public URL (--public-url, else http(s)://localhost:PORT as the server listens): WebAuthn's RP id and origin.
  const rpOf = (_req: ConsoleRequest): RelyingParty => relyingParty(deps.publicUrl());
  /** The public URL's console, when the browser came by another address (WebAuthn would refuse the ceremony there). */
  function wrongOrigin(req: ConsoleRequest, rp: RelyingParty): string | undefined {
    const host = String(req.headers.host ?? '');
    return host && `${req.secure ? 'https' : 'http'}://${host}` !== rp.origin ? `${rp.origin}/console` : undefined;
  }

  async function take(idHash: string, purpose: Challenge['purpose']): Promise<Challenge | null> {
    const text = await fido.takeChallenge(idHash);
    if (!text) return null;
    const c: Challenge = JSON.parse(text); // written by put() below
    return c.purpose === purpose && Date.now() - c.at < CHALLENGE_MS ? c : null;
  }
  const put = async (idHash: string, c: Challenge): Promise<void> => { await fido.setChallenge(idHash, JSON.stringify(c)); };

  async function ownerOf(subject: SigninSubject): Promise<Owner | null> {
    if (subject.type === 'root') return rootOwner({ account: subject.account });
    const user = await deps.store.getUserById(subject.id);
    return user ? userOwner(user) : null;
  }



  // ---------------------------------------------------------------------------------------------
  // Sign-in: the authentication ceremony

  async function signinPage(req: ConsoleRequest, s: CeremonySession, status: number, error?: string): Promise<ConsoleResponse> {
    const creds = await fidoCredentialsOf({ db: deps.db, account: s.subject.account }, s.subject);
    if (!creds.length) return hooks.redirect('/console/mfa?type=code');
    const rp = rpOf(req);
    const options = await authenticationOptions(rp, creds);
    await put(s.idHash, { purpose: 'authenticate', challenge: options.challenge, at: Date.now() });
    return hooks.respond(status, W.ceremony({
      title: 'Multi-factor authentication', csrf: s.csrf, action: '/console/mfa/webauthn', mode: 'authenticate', optionsJson: JSON.stringify(options),
      intro: 'Your account is protected by a passkey or security key. Use it to finish signing in.', button: 'Use passkey or security key',
      error, wrongOrigin: wrongOrigin(req, rp), back: { href: '/console/cancel', label: 'Cancel and sign in again' }, extraFields: s.extraFields, recovery: s.recovery,
    }));
  }

  /** GET: the ceremony; POST: the browser's assertion, checked by the domain under the principal's MFA throttle. */
  async function signin(req: ConsoleRequest, s: CeremonySession, form: ReadonlyMap<string, string>, finish: (serialNumber: string) => Promise<ConsoleResponse>): Promise<ConsoleResponse> {
    if (req.method !== 'POST') return signinPage(req, s, 200);
    const challenge = await take(s.idHash, 'authenticate');
    if (!challenge) return signinPage(req, s, 400, EXPIRED);
    const now = new Date();
    const r = await verifyFidoAssertion({ db: deps.db, mfaStore: deps.mfaStore, secrets: deps.secrets, account: s.subject.account, now },
      s.subject, rpOf(req), form.get('response') ?? '', challenge.challenge);
    if (r.ok) return finish(r.serialNumber);
    if (r.cloned) {
      // Recorded on the device (cloned_at) and logged: which device and the two counters, nothing secret.
      deps.logger.warn({ event: 'FidoCounterRegression', accountId: s.subject.account.accountId, principalType: s.subject.type, principalId: s.subject.id, ...r.cloned },
        'a passkey or security key answered with a signature counter that did not move forward (possibly a cloned key): refused');
    }
    if (r.reason === 'locked') return signinPage(req, s, 429, FIDO_LOCKED);
    return signinPage(req, s, 401, r.reason === 'cloned' ? FIDO_CLONED : FIDO_REFUSED);
  }

  // ---------------------------------------------------------------------------------------------
  // Assign MFA device → Passkey or security key: the registration ceremony

  const userIdBytes = (owner: Owner): Uint8Array<ArrayBuffer> => new TextEncoder().encode(`${owner.type}:${owner.id}`);

  async function registrationPage(req: ConsoleRequest, s: CeremonySession, owner: Owner, name: string, status: number, error?: string): Promise<ConsoleResponse> {
    const rp = rpOf(req);
    const exclude = await fidoCredentialsOf({ db: deps.db, account: s.subject.account }, owner);
    const label = owner.type === 'root' ? `root (${s.subject.account.rootEmail})` : `${owner.name}@${s.subject.account.alias ?? s.subject.account.accountId}`;
    const options = await registrationOptions(rp, { id: userIdBytes(owner), name: label, displayName: label }, exclude);
    await put(s.idHash, { purpose: 'register', challenge: options.challenge, at: Date.now(), name });
    return hooks.respond(status, W.ceremony({
      title: 'Register your passkey or security key', who: s.who, csrf: s.csrf, action: '/console/mfa/assign/fido', mode: 'register', optionsJson: JSON.stringify(options),
      intro: `Device name: ${name}. Insert your security key, or have your passkey ready, then press the button and follow your browser.`,
      button: 'Register passkey or security key', error, wrongOrigin: wrongOrigin(req, rp), back: { href: '/console/security-credentials', label: 'Cancel' },
    }));
  }

  /** What EnableMFADevice is authorised with: the user (root has none), and the serial the device will have. */
  const enableParams = (owner: Owner): Record<string, string> => (owner.type === 'user' ? { UserName: owner.name } : {});

  /** "Assign MFA device" with the type "Passkey or security key": checks, authorises, then shows the ceremony. */
  async function startRegistration(req: ConsoleRequest, s: CeremonySession, name: string, authorized: Authorized): Promise<ConsoleResponse> {
    const assignError = (status: number, error: string): ConsoleResponse => hooks.respond(status, assignMfa({ who: s.who ?? { label: '', csrf: s.csrf }, csrf: s.csrf, name, error }));
    if (!FIDO_NAME_RE.test(name)) return assignError(400, 'The device name must be 1 to 64 letters, digits or +=,.@_- characters.');
    const owner = await ownerOf(s.subject);
    if (!owner) return hooks.redirect('/console');
    // Refused before the ceremony rather than after the user touched the key: the same rules apply again at the end.
    const allowed = await authorized('EnableMFADevice', enableParams(owner), async (ctx) => ctx.mfaStore.countForOwner(ctx.account.accountId, owner.type, owner.id));
    if (!allowed.ok) return assignError(allowed.code === 'AccessDenied' ? 403 : 400, allowed.message);
    if (allowed.value >= MFA_DEVICES_PER_PRINCIPAL) return assignError(409, `Cannot exceed quota for MFADevicesPerUser: ${MFA_DEVICES_PER_PRINCIPAL}`);
    return registrationPage(req, s, owner, name, 200);
  }

  async function finishRegistration(req: ConsoleRequest, s: CeremonySession, form: ReadonlyMap<string, string>, authorized: Authorized): Promise<ConsoleResponse> {
    if (req.method !== 'POST') return hooks.redirect('/console/mfa/assign');
    const owner = await ownerOf(s.subject);
    if (!owner) return hooks.redirect('/console');
    const challenge = await take(s.idHash, 'register');
    if (!challenge?.name) return hooks.redirect('/console/mfa/assign');
    const name = challenge.name;
    const rp = rpOf(req);
    const v = await verifyRegistration(rp, form.get('response') ?? '', challenge.challenge);
    if (!v.ok) return registrationPage(req, s, owner, name, 400, 'The passkey or security key was not registered (the browser\'s answer did not verify). Try again.');
    const r = await authorized('EnableMFADevice', enableParams(owner), (ctx) => enableFidoDevice(ctx, owner, name, v.value));
    if (!r.ok) return registrationPage(req, s, owner, name, r.code === 'AccessDenied' ? 403 : 400, r.message);
    return hooks.redirect('/console/security-credentials?done=mfa-added');
  }

  return { signin, startRegistration, finishRegistration };
}
