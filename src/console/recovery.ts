// Recovery codes in the console's sign-in (beyond AWS): at the MFA stage, "Use a recovery code" accepts one of the
// principal's single-use codes in place of the device (src/signin/recovery-codes.ts: keyed hashes, spent once
// across nodes, under the same per-principal MFA throttle as device codes). Such a sign-in counts as MFA: the
// session's credential carries the sign-in time as its MFA time (aws:MultiFactorAuthPresent true) and the serial
// "recovery-code", and the ConsoleLogin event says MFAUsed "Yes", MFAIdentifier "recovery-code". The user is then
// told how many codes remain and sent to register a new device. While the account's recoveryCodes setting is 0 the
// page says codes are off and accepts none. A recovery-code sign-in never makes a trusted device. The signed-in pages
// (the first set shown once, regenerating) are ./pages/recovery-codes.ts.
import { FEW_CODES_LEFT, recoveryCodeCount, useRecoveryCode } from '../signin/recovery-codes.js';
import { readSettings } from '../signin/settings.js';
import type { MfaSettings } from '../signin/settings.js';
import type { SigninSubject } from '../signin/session.js';
import type { SigninWho } from '../events/records.js';
import { SigninSettingsStore } from '../store/signin-settings-store.js';
import type { PrincipalKey } from '../store/signin-settings-store.js';
import type { SafeHtml } from './html.js';
import { html } from './html.js';
import * as P from './pages.js';
import { mfaLocked } from './kit.js';
import type { ActiveSession, ConsoleDeps, ConsoleRequest, ConsoleResponse } from './index.js';

/** The MFA serial a recovery-code sign-in carries (session credential, ConsoleLogin's MFAIdentifier, trusted devices). */
export const RECOVERY_CODE_SERIAL = 'recovery-code';
export const RECOVERY_PATH = '/console/mfa/recovery';
/** Where a recovery-code sign-in lands. */
export const AFTER_RECOVERY_PATH = '/console/recovery-codes/used';

const INVALID = 'That recovery code is not valid, or it was already used. Check it and try again.';
const OFF = 'Recovery codes are turned off for this account. Sign in with your MFA device, or ask your administrator for help.';

export const principalKeyOf = (s: Pick<ActiveSession, 'account' | 'session'>): PrincipalKey => ({
  accountId: s.account.accountId, type: s.session.principalType === 'root' ? 'root' : 'user', id: s.session.principalId,
});

/** The warning shown when few unused codes remain (null: enough, or none were ever issued). */
export function fewCodesWarning(count: { total: number; unused: number }): string | null {
  if (count.total === 0 || count.unused > FEW_CODES_LEFT) return null;
  return count.unused === 0
    ? 'You have no unused recovery codes left. Regenerate them on your Security credentials page.'
    : `Only ${count.unused} unused recovery code${count.unused === 1 ? '' : 's'} left. Regenerate them on your Security credentials page.`;
}

/** Whether the principal is due its first set: codes are on, it has an MFA device, and it never had codes. */
export async function firstSetDue(deps: Pick<ConsoleDeps, 'mfaStore'> & { settingsStore: SigninSettingsStore }, p: PrincipalKey, settings: MfaSettings): Promise<boolean> {
  if (settings.recoveryCodes <= 0) return false;
  if ((await recoveryCodeCount(deps, p)).total > 0) return false;
  return (await deps.mfaStore.countForOwner(p.accountId, p.type, p.id)) > 0;
}

export interface RecoveryHooks {
  respond(status: number, body: SafeHtml | string, type?: string): ConsoleResponse;
  redirect(location: string): ConsoleResponse;
  /** The ConsoleLogin event (./index.ts's), success or failure, with the MFA serial that was checked. */
  signinEvent(req: ConsoleRequest, who: () => Promise<SigninWho>, success: boolean, mfaSerial: string, time: Date): void;
}

/** The MFA-stage session as this module needs it. */
export interface RecoveryStage { readonly idHash: string; readonly csrf: string; readonly subject: SigninSubject }

function codePage(csrf: string, o: { error?: string | undefined; off?: boolean } = {}): SafeHtml {
  if (o.off) return P.page({ title: 'Use a recovery code', error: o.error }, html`<p class="hint"><a href="/console/mfa">Back to your MFA device</a> · <a href="/console/cancel">Cancel and sign in again</a></p>`);
  return P.page({ title: 'Use a recovery code', error: o.error }, html`
<p>Lost your MFA device? Enter one of the recovery codes you saved when you set it up. Each code works once; you will then be asked to register a new MFA device.</p>
${P.form(RECOVERY_PATH, csrf, html`
${P.field('recovery-code', 'Recovery code', { autocomplete: 'one-time-code', autofocus: true, hint: 'Ten letters and digits, for example ABCDE-12345 (case and dashes do not matter).' })}
<button type="submit">Sign in with recovery code</button>`)}
<p class="hint"><a href="/console/mfa">Back to your MFA device</a> · <a href="/console/cancel">Cancel and sign in again</a></p>`);
}

export function createRecoveryConsole(deps: ConsoleDeps, hooks: RecoveryHooks) {
  const settingsStore = new SigninSettingsStore(deps.db);
  const sdeps = { settingsStore, secrets: deps.secrets, mfaStore: deps.mfaStore };

  /**
   * GET: the form; POST: one code, spent under the principal's MFA throttle. On success `finish` signs in (with
   * the MFA the code stands for) and the user lands on the page that tells how many codes remain.
   */
  async function signin(req: ConsoleRequest, s: RecoveryStage, form: ReadonlyMap<string, string>, who: () => Promise<SigninWho>,
    finish: (mfa: { at: Date; serial: string }) => Promise<ConsoleResponse>): Promise<ConsoleResponse> {
    const settings = await readSettings(sdeps, s.subject.account.accountId);
    if (settings.recoveryCodes <= 0) return hooks.respond(403, codePage(s.csrf, { error: OFF, off: true }));
    if (req.method !== 'POST') return hooks.respond(200, codePage(s.csrf));
    const now = new Date();
    // The throttle's owner: root's id is its account id, a user's its user id (as the session has them).
    const owner = { type: s.subject.type, id: s.subject.id };
    const r = await useRecoveryCode({ db: deps.db, mfaStore: deps.mfaStore, secrets: deps.secrets, account: s.subject.account, now, events: deps.history?.recorder, settingsStore },
      owner, form.get('recovery-code') ?? '');
    hooks.signinEvent(req, who, r.ok, RECOVERY_CODE_SERIAL, now);
    if (!r.ok) {
      if (r.reason === 'locked') return hooks.respond(429, codePage(s.csrf, { error: mfaLocked(r.lockedUntil) }));
      return hooks.respond(401, codePage(s.csrf, { error: INVALID }));
    }
    const done = await finish({ at: now, serial: RECOVERY_CODE_SERIAL });
    // Signed in: on to "how many remain, register a new device" (a forced password change still comes first).
    if (done.status === 303 && done.headers['location'] === '/console') return { ...done, headers: { ...done.headers, location: AFTER_RECOVERY_PATH } };
    return done;
  }

  return { signin };
}
