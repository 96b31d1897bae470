// One's own recovery codes and trusted devices, signed in (self-service: one's own, so no policy is asked, like
// signing out; docs/sign-in.md): a principal's first set of recovery codes, made and shown once (copy, download as
// .txt) on the first of the home or Security credentials page it opens once it has an MFA device (enrolled in the
// console or elsewhere) and codes are on; the page after a recovery-code sign-in (how many remain, then Assign MFA device), regenerating the set on the
// Security credentials page (the password and a second factor: a code from one of one's authenticator apps or
// hardware tokens, or a sign-in with an MFA device in the last 5 minutes), and the trusted-device list (revoke one,
// "Forget all devices"). The Security credentials page shows both sections (ownSigninSections).
import { html } from '../html.js';
import type { SafeHtml } from '../html.js';
import * as P from '../pages.js';
import type { Kit, PageRequest, PageRoute } from '../kit.js';
import { shortDate } from '../kit.js';
import { verifyMfaCode } from '../../iam/mfa-devices.js';
import { deviceTypeOf } from '../../mfa/index.js';
import { checkPassword } from '../../signin/password.js';
import { generateFirstRecoveryCodes, generateRecoveryCodes, recoveryCodeCount } from '../../signin/recovery-codes.js';
import { readSettings } from '../../signin/settings.js';
import { forgetAllTrustedDevices, forgetTrustedDevice, listTrustedDevices } from '../../signin/trusted-devices.js';
import { SigninSettingsStore } from '../../store/signin-settings-store.js';
import { MESSAGES, enrollableKinds } from '../signin-flow.js';
import type { PrincipalKey } from '../../store/signin-settings-store.js';
import type { MfaDevice } from '../../store/entities.js';
import type { ActiveSession, ConsoleRequest, ConsoleResponse } from '../index.js';
import { AFTER_RECOVERY_PATH, RECOVERY_CODE_SERIAL, fewCodesWarning, firstSetDue, principalKeyOf } from '../recovery.js';

const REGENERATE_PATH = '/console/recovery-codes/regenerate';
const FORGET_PATH = '/console/trusted-devices/forget';
const FORGET_ALL_PATH = '/console/trusted-devices/forget-all';
/** A sign-in with an MFA device this recent stands in for a code when regenerating. */
export const FRESH_MFA_MS = 5 * 60_000;

const storeOf = (k: Kit): SigninSettingsStore => new SigninSettingsStore(k.deps.db);

/** The principal's devices that take a code (authenticator apps, hardware tokens). */
async function codeDevices(k: Kit, p: PrincipalKey): Promise<MfaDevice[]> {
  const all = await k.deps.mfaStore.listForOwner(p.accountId, p.type, p.id, { limit: 8 });
  return all.filter((d) => deviceTypeOf(d.kind).factor === 'code');
}

/** The set, shown once: as a list, in a box to select and copy, and as a .txt download. */
function codesBlock(s: ActiveSession, codes: readonly string[], regenerated: boolean): SafeHtml {
  const who = s.principal.kind === 'user' ? s.principal.userName : 'root';
  const text = `Gatehouse recovery codes for ${who} in account ${s.account.accountId}\nEach code works once, in place of your MFA device at sign-in.\n\n${codes.join('\n')}\n`;
  return html`<section id="new-recovery-codes" aria-labelledby="new-recovery-codes-title">
${regenerated ? '' : html`<h2 id="new-recovery-codes-title">Your recovery codes</h2>`}
<div class="notice" role="status" id="codes-once">${regenerated ? 'Your recovery codes were replaced: the earlier ones no longer work. ' : ''}Save these ${codes.length} recovery codes now: they are shown only this once.</div>
<p>If you lose your MFA device, each code signs you in once in place of it ("Use a recovery code" on the sign-in page). Keep them somewhere safe, apart from your device.</p>
<ol id="recovery-codes">${codes.map((c) => html`<li><code>${c}</code></li>`)}</ol>
<label for="recovery-codes-text">Copy them (select all, then copy)</label>
<textarea id="recovery-codes-text" readonly rows="${codes.length + 1}">${codes.join('\n')}</textarea>
<p><button type="button" id="copy-codes" class="secondary" hidden>Copy</button> <a id="download-codes" download="gatehouse-recovery-codes.txt" href="data:text/plain;charset=utf-8,${encodeURIComponent(text)}">Download as a .txt file</a></p>
<p class="hint" id="copy-status" role="status" aria-live="polite"></p>
<p><a href="/console/security-credentials?done=recovery-codes-saved" id="codes-saved">I have saved my recovery codes</a></p>
<script src="/console/static/copy.js" defer></script>
</section>`;
}

function codesPage(r: PageRequest, codes: readonly string[]): SafeHtml {
  return P.page({ title: 'Your recovery codes', who: r.who }, codesBlock(r.s, codes, true));
}

/** The first set, made now when the principal is due one (codes on, an MFA device, never had codes); else null. */
async function firstSet(k: Kit, s: ActiveSession): Promise<string[] | null> {
  const p = principalKeyOf(s);
  const store = storeOf(k);
  const settings = await readSettings({ settingsStore: store }, p.accountId);
  if (!(await firstSetDue({ mfaStore: k.deps.mfaStore, settingsStore: store }, p, settings))) return null;
  return generateFirstRecoveryCodes({ db: k.deps.db, mfaStore: k.deps.mfaStore, settingsStore: store, secrets: k.deps.secrets }, p, settings.recoveryCodes, new Date());
}

/** The home page: the first set when due, else the warning when three or fewer unused codes remain. */
export async function recoveryOnHome(k: Kit, s: ActiveSession): Promise<SafeHtml | undefined> {
  const codes = await firstSet(k, s);
  if (codes) return codesBlock(s, codes, false);
  const warning = fewCodesWarning(await recoveryCodeCount({ settingsStore: storeOf(k) }, principalKeyOf(s)));
  return warning ? html`<div class="error" role="alert" id="recovery-codes-warning">${warning} <a href="/console/security-credentials">Security credentials</a></div>` : undefined;
}

/** Security credentials: the recovery codes' count and the regenerate form, and the trusted devices. */
export async function ownSigninSections(k: Kit, s: ActiveSession): Promise<SafeHtml> {
  const p = principalKeyOf(s);
  const store = storeOf(k);
  const first = await firstSet(k, s);
  const [settings, count, trusted, devices] = await Promise.all([
    readSettings({ settingsStore: store }, p.accountId), recoveryCodeCount({ settingsStore: store }, p), listTrustedDevices({ settingsStore: store }, p), codeDevices(k, p),
  ]);
  const warning = fewCodesWarning(count);
  const csrf = s.session.csrf;
  const now = Date.now();
  const codes = settings.recoveryCodes <= 0
    ? html`<p id="recovery-codes-state">Recovery codes are turned off for this account.</p>`
    : html`${first ? codesBlock(s, first, false) : ''}<p id="recovery-codes-state">${count.total === 0 ? 'You have no recovery codes yet: you get a set when you assign your first MFA device.' : `${count.unused} of ${count.total} recovery codes unused.`}</p>
${warning ? html`<div class="error" role="alert" id="recovery-codes-warning">${warning}</div>` : ''}
${P.form(REGENERATE_PATH, csrf, html`<details id="regenerate"${warning ? html` open` : ''}><summary>Regenerate recovery codes</summary>
<p class="hint">A new set of ${settings.recoveryCodes} replaces the old one (which stops working). Confirm with your password and a code from one of your MFA devices${devices.length ? '' : ' (or sign in again with your MFA device: for 5 minutes after that, no code is needed)'}.</p>
${P.field('regenerate-password', 'Current password', { type: 'password', autocomplete: 'current-password' })}
${devices.length > 1 ? html`<label for="regenerate-serial">MFA device</label><select id="regenerate-serial" name="regenerate-serial">${devices.map((d) => html`<option value="${d.serialNumber}">${d.serialNumber}</option>`)}</select>`
    : devices[0] ? html`<input type="hidden" name="regenerate-serial" value="${devices[0].serialNumber}">` : ''}
${devices.length ? P.field('regenerate-code', 'MFA code', { autocomplete: 'one-time-code', inputmode: 'numeric', required: false, hint: 'Not needed within 5 minutes of signing in with an MFA device.' }) : ''}
<button type="submit">Regenerate recovery codes</button></details>`)}`;
  return html`
${first ? '' : html`<h2>Recovery codes</h2>`}
${codes}
<h2>Trusted devices</h2>
<p class="hint">Browsers where you ticked "This is a trusted device" at sign-in: they skip MFA while the browser, its network and the expiry all hold.</p>
${trusted.length === 0 ? html`<p id="no-trusted-devices">No trusted devices.</p>` : html`<table id="trusted-devices"><thead><tr><th scope="col">Browser</th><th scope="col">Network</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Expires</th><th scope="col">Actions</th></tr></thead><tbody>
${trusted.map((d) => html`<tr><td>${d.browserFamily}</td><td><code>${d.network}</code></td><td>${shortDate(new Date(d.createdAt))}</td><td>${shortDate(new Date(d.lastUsed))}</td><td>${d.expiresAt <= now ? 'expired' : shortDate(new Date(d.expiresAt))}</td>
<td>${P.form(FORGET_PATH, csrf, html`<input type="hidden" name="id" value="${d.id}"><button type="submit" class="secondary" aria-label="Forget ${d.browserFamily} on ${d.network}, created ${shortDate(new Date(d.createdAt))}">Forget</button>`)}</td></tr>`)}
</tbody></table>
${P.form(FORGET_ALL_PATH, csrf, html`<button type="submit" class="secondary">Forget all devices</button>`)}`}`;
}

/** The password again, through the sign-in's own check and throttle; true when it is this principal's. */
async function passwordOk(k: Kit, s: ActiveSession, req: ConsoleRequest, password: string): Promise<boolean> {
  const attempt = s.principal.kind === 'user'
    ? { kind: 'user' as const, account: s.account.accountId, userName: s.principal.userName, password }
    : { kind: 'root' as const, email: s.account.rootEmail, password };
  const r = await checkPassword({ store: k.deps.store, mfaStore: k.deps.mfaStore, consoleStore: k.consoleStore }, attempt, req.sourceIp, new Date());
  return r.ok && r.id === s.session.principalId;
}

/** Signed in with an MFA device (not a recovery code) in the last few minutes. */
async function freshDeviceSignin(k: Kit, s: ActiveSession, now: Date): Promise<boolean> {
  const at = s.principal.session?.mfaAuthenticatedAt;
  if (!at || now.getTime() - at.getTime() > FRESH_MFA_MS) return false;
  const row = await k.deps.sessions.resolve(s.principal.accessKeyId);
  return Boolean(row?.mfaSerial) && row?.mfaSerial !== RECOVERY_CODE_SERIAL;
}

async function regenerate(k: Kit, r: PageRequest): Promise<ConsoleResponse> {
  const { s, req, form } = r;
  const p = principalKeyOf(s);
  const store = storeOf(k);
  const settings = await readSettings({ settingsStore: store }, p.accountId);
  const fail = async (status: number, error: string): Promise<ConsoleResponse> => k.respond(status, P.page({ title: 'Regenerate recovery codes', who: r.who, error }, html`
<p><a href="/console/security-credentials">Back to Security credentials</a></p>`));
  if (settings.recoveryCodes <= 0) return fail(400, 'Recovery codes are turned off for this account.');
  if (!(await passwordOk(k, s, req, form.get('regenerate-password') ?? ''))) return fail(401, 'The password is not correct (or there were too many attempts: wait a few minutes). The recovery codes were not changed.');
  const now = new Date();
  const code = (form.get('regenerate-code') ?? '').trim();
  if (!code) {
    if (!(await freshDeviceSignin(k, s, now))) return fail(401, 'Enter a code from one of your MFA devices (or sign in again with your MFA device and regenerate within 5 minutes). The recovery codes were not changed.');
  } else {
    const serial = form.get('regenerate-serial') ?? '';
    const known = (await codeDevices(k, p)).some((d) => d.serialNumber === serial);
    const check = await verifyMfaCode({ db: k.deps.db, mfaStore: k.deps.mfaStore, secrets: k.deps.secrets, account: s.account, now, events: k.deps.history?.recorder },
      { serialNumber: known ? serial : '', ownerType: p.type, ownerId: p.id, code });
    if (!check.ok) return fail(check.reason === 'locked' ? 429 : 401, check.reason === 'locked' ? 'Too many failed MFA codes: codes are refused for a while. The recovery codes were not changed.' : 'The MFA code is not valid. The recovery codes were not changed.');
  }
  const codes = await generateRecoveryCodes({ settingsStore: store, secrets: k.deps.secrets }, p, settings.recoveryCodes, now);
  // The count and how the second factor was proven; never the codes.
  k.recordOwn(s, req, 'CreateRecoveryCodes', { count: codes.length, proof: code ? 'mfa-code' : 'recent-mfa-sign-in' });
  return k.respond(200, codesPage(r, codes));
}

export const recoveryRoutes: PageRoute = async (k, r) => {
  const { s } = r;
  const p = principalKeyOf(s);
  const store = storeOf(k);
  if (r.path === AFTER_RECOVERY_PATH && !r.post) {
    const [count, settings] = await Promise.all([recoveryCodeCount({ settingsStore: store }, p), readSettings({ settingsStore: store }, p.accountId)]);
    const left = `You signed in with a recovery code. ${count.unused} unused recovery code${count.unused === 1 ? '' : 's'} remain${count.unused === 1 ? 's' : ''}.`;
    // Users who do not manage their own devices (the account's MFA settings) are told whom to ask instead.
    if (!settings.selfManage && p.type === 'user') {
      return k.respond(200, P.page({ title: 'Signed in with a recovery code', who: r.who, notice: left, error: fewCodesWarning(count) ?? undefined }, html`
<p id="ask-administrator">${MESSAGES.selfManageOff}</p>
<p><a href="/console">Console home</a></p>`));
    }
    return k.respond(200, P.assignMfa({
      who: r.who, csrf: s.session.csrf, notice: `${left} Register a new MFA device now, to replace the one you lost.`, error: fewCodesWarning(count) ?? undefined,
      kinds: enrollableKinds(settings, p.type),
    }));
  }
  if (!r.post) return null;
  switch (r.path) {
    case REGENERATE_PATH: return regenerate(k, r);
    case FORGET_PATH:
      if (await forgetTrustedDevice({ settingsStore: store }, p, r.form.get('id') ?? '')) k.recordOwn(s, r.req, 'DeleteTrustedDevices', { trustedDeviceId: r.form.get('id') ?? '' });
      return k.redirect('/console/security-credentials?done=trusted-device-forgotten');
    case FORGET_ALL_PATH:
      k.recordOwn(s, r.req, 'DeleteTrustedDevices', { all: true, forgotten: await forgetAllTrustedDevices({ settingsStore: store }, p) });
      return k.redirect('/console/security-credentials?done=trusted-devices-forgotten');
    default: return null;
  }
};
