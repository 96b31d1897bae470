// The administrator's view of a user's sign-in protections, on the user's page (./users.ts): the MFA code lock
// (what `gatehouse mfa locks` lists; "Lift lock" is gatehouse:DeleteMfaLock and does what `--unlock` does), the
// address one-time codes are emailed to (the user tag `email`, read and written with iam:ListUserTags, TagUser and
// UntagUser), the user's recovery codes (gatehouse:ListRecoveryCodes, "Revoke" gatehouse:DeleteRecoveryCodes) and
// trusted devices (gatehouse:ListTrustedDevices, "Revoke all" gatehouse:DeleteTrustedDevices). Every Gatehouse
// action goes through the kit's gatehouse(): the one authoriser on the user's ARN, then the domain function, then
// an event (eventSource "gatehouse"). A refused read shows the authoriser's words in its section; a refused
// change, an Access denied page.
import { html } from '../html.js';
import type { SafeHtml } from '../html.js';
import * as P from '../pages.js';
import { refused, shortDate, statusOf } from '../kit.js';
import type { Failure, Kit, PageRequest, PageRoute } from '../kit.js';
import type { ActiveSession, ConsoleRequest, ConsoleResponse, Outcome } from '../index.js';
import { noSuchEntity } from '../../errors.js';
import { isDisabled, isLocked } from '../../mfa/index.js';
import { resetMfaThrottle } from '../../iam/mfa-devices.js';
import type { OperationContext } from '../../iam/context.js';
import { SigninSettingsStore } from '../../store/signin-settings-store.js';
import type { PrincipalKey } from '../../store/signin-settings-store.js';
import { EMAIL_TAG, isEmailAddress } from '../../signin/email-otp.js';
import { FEW_CODES_LEFT, recoveryCodeCount, revokeRecoveryCodes } from '../../signin/recovery-codes.js';
import { forgetAllTrustedDevices, listTrustedDevices } from '../../signin/trusted-devices.js';
import { backTo } from './access-keys.js';
import { userPage } from './users.js';

/** The user an action names, by name (the action was authorised on this user's ARN). */
async function userKey(ctx: OperationContext, userName: string): Promise<PrincipalKey> {
  const u = await ctx.store.getUser(ctx.account.accountId, userName);
  if (!u) throw noSuchEntity(`The user with name ${userName} cannot be found.`);
  return { accountId: ctx.account.accountId, type: 'user', id: u.userId };
}

const settingsStore = (ctx: OperationContext): SigninSettingsStore => new SigninSettingsStore(ctx.db);
const denied = (f: Failure): SafeHtml => html`<div class="error" role="alert">${f.message}</div>`;

/** "7 of 10 unused", for the page and the Users list. */
export const recoveryCodesText = (c: { total: number; unused: number }): string =>
  (c.total === 0 ? 'None' : `${c.unused} of ${c.total} unused${c.unused <= FEW_CODES_LEFT ? ' (few left)' : ''}`);

/**
 * Recovery code counts for the Users list: one query for the account, shown for the users the caller may
 * gatehouse:ListRecoveryCodes on (authorised per user, since policies may scope it by path; null: not allowed).
 */
export async function recoveryCodeColumn(k: Kit, s: ActiveSession, req: ConsoleRequest, users: readonly { name: string; id: string }[]): Promise<Map<string, { total: number; unused: number } | null>> {
  const counts = await new SigninSettingsStore(k.deps.db).recoveryCodeCountsByUser(s.account.accountId);
  const out = new Map<string, { total: number; unused: number } | null>();
  // A few users at a time, as the list's other reads (each authorisation reads the user's path and tags).
  for (let i = 0; i < users.length; i += 20) {
    await Promise.all(users.slice(i, i + 20).map(async (u) => {
      const allowed = await k.authorizeGatehouse(s, req, 'ListRecoveryCodes', { UserName: u.name });
      out.set(u.name, allowed.ok ? counts.get(u.id) ?? { total: 0, unused: 0 } : null);
    }));
  }
  return out;
}

/** The sections for the user's page (its Security credentials tab); devicesListed: the caller may iam:ListMFADevices on the user. */
export async function protectionsSection(k: Kit, r: PageRequest, user: { name: string; id: string }, devicesListed: boolean): Promise<SafeHtml> {
  const { s, req } = r;
  const csrf = s.session.csrf;
  const hidden = html`<input type="hidden" name="user" value="${user.name}">`;
  const input = { UserName: user.name };
  const [tags, codes, trusted] = await Promise.all([
    k.call(s, req, 'ListUserTags', { UserName: user.name }),
    k.gatehouse(s, req, 'ListRecoveryCodes', input, async (ctx) => recoveryCodeCount({ settingsStore: settingsStore(ctx) }, await userKey(ctx, user.name))),
    k.gatehouse(s, req, 'ListTrustedDevices', input, async (ctx) => listTrustedDevices({ settingsStore: settingsStore(ctx) }, await userKey(ctx, user.name))),
  ]);
  // The lock is the state of the user's MFA: shown to whoever may list the user's MFA devices (the same data as
  // `gatehouse mfa locks`: the throttle row, read with the store's getThrottle).
  const now = Date.now();
  const lockSection = !devicesListed ? html`<p class="hint">Not shown: you may not list this user's MFA devices.</p>` : await (async () => {
    const state = await k.deps.mfaStore.getThrottle(s.account.accountId, 'user', user.id);
    const text = isDisabled(state) ? `Disabled after ${state.failures} failed MFA codes in a row: codes are refused until an administrator lifts the lock.`
      : isLocked(state, now) ? `Locked until ${shortDate(new Date(state.lockedUntilMs))} after ${state.failures} failed MFA codes.`
        : state.failures > 0 ? `Not locked. ${state.failures} failed MFA code${state.failures === 1 ? '' : 's'} on record since the last good one.` : 'Not locked. No failed MFA codes on record.';
    return html`<p id="mfa-lock">${text}</p>
${state.failures > 0 ? P.form('/console/users/mfa-lock/lift', csrf, html`${hidden}<button type="submit" class="secondary">Lift lock</button>`) : ''}`;
  })();

  const email = tags.ok ? tags.value.Tags.find((t) => t.Key === EMAIL_TAG)?.Value : undefined;
  const emailSection = !tags.ok ? denied(tags) : html`<p id="user-email">${email ? html`Email address for one-time codes: <strong>${email}</strong>.` : 'No email address: one-time codes by email cannot reach this user.'}</p>
${P.form('/console/users/email/set', csrf, html`${hidden}
${P.field('email', 'Email address', { type: 'email', value: email, autocomplete: 'off', hint: `Kept as the user tag "${EMAIL_TAG}".` })}
<button type="submit" class="secondary">Save email address</button>`)}
${email ? P.form('/console/users/email/remove', csrf, html`${hidden}<button type="submit" class="secondary">Remove email address</button>`) : ''}`;

  const codesSection = !codes.ok ? denied(codes) : html`<p id="user-recovery-codes">Recovery codes: ${recoveryCodesText(codes.value)}.</p>
${codes.value.total > 0 ? P.form('/console/users/recovery-codes/revoke', csrf, html`${hidden}<button type="submit" class="secondary">Revoke recovery codes</button>`) : ''}`;

  const trustedSection = !trusted.ok ? denied(trusted) : !trusted.value.length ? html`<p id="user-trusted-devices">No trusted devices.</p>` : html`<table id="user-trusted-devices"><thead><tr><th scope="col">Browser</th><th scope="col">Network</th><th scope="col">Trusted since</th><th scope="col">Last used</th><th scope="col">Expires</th></tr></thead><tbody>
${trusted.value.map((d) => html`<tr><td>${d.browserFamily}</td><td><code>${d.network}</code></td><td>${shortDate(new Date(d.createdAt))}</td><td>${shortDate(new Date(d.lastUsed))}</td><td>${shortDate(new Date(d.expiresAt))}</td></tr>`)}
</tbody></table>
${P.form('/console/users/trusted-devices/revoke', csrf, html`${hidden}<button type="submit" class="secondary">Revoke all trusted devices</button>`)}`;

  return html`<h3 id="sign-in-protections">MFA lock</h3>
<div id="mfa-lock-section">${lockSection}</div>
<h3>Email for one-time codes</h3>
<div id="email-section">${emailSection}</div>
<h3>Recovery codes</h3>
<div id="recovery-codes-section">${codesSection}</div>
<h3>Trusted devices</h3>
<div id="trusted-devices-section">${trustedSection}</div>`;
}

/** The changes: each authorised for the signed-in principal on the user, then back to the user's page with a notice. */
export const userProtectionRoutes: PageRoute = async (k, r) => {
  if (!r.post || !r.path.startsWith('/console/users/')) return null;
  const { s, req, form } = r;
  const user = form.get('user') ?? '';
  const input = { UserName: user };
  const back = { href: backTo(user), label: `User ${user}` };
  const answer = (c: Outcome<unknown>, done: string): Promise<ConsoleResponse> | ConsoleResponse => {
    if (c.ok) return k.redirect(`${backTo(user)}&done=${done}`);
    return c.code === 'AccessDenied' ? refused(k, r, c, back) : userPage(k, r, user, { error: c.message, status: statusOf(c) });
  };
  switch (r.path) {
    case '/console/users/mfa-lock/lift':
      // What `gatehouse mfa locks --unlock` does (resetMfaThrottle): the lock lifted and the failures cleared; a
      // lifted lock is also recorded as MfaCodesUnlocked, by the signed-in principal.
      return answer(await k.gatehouse(s, req, 'DeleteMfaLock', input, async (ctx) => resetMfaThrottle(ctx, 'user', (await userKey(ctx, user)).id)), 'mfa-lock-lifted');
    case '/console/users/recovery-codes/revoke':
      return answer(await k.gatehouse(s, req, 'DeleteRecoveryCodes', input, async (ctx) => revokeRecoveryCodes({ settingsStore: settingsStore(ctx) }, await userKey(ctx, user))), 'recovery-codes-revoked');
    case '/console/users/trusted-devices/revoke':
      return answer(await k.gatehouse(s, req, 'DeleteTrustedDevices', input, async (ctx) => forgetAllTrustedDevices({ settingsStore: settingsStore(ctx) }, await userKey(ctx, user))), 'trusted-devices-revoked');
    case '/console/users/email/set': {
      const email = (form.get('email') ?? '').trim();
      if (!isEmailAddress(email)) return userPage(k, r, user, { error: 'Enter a valid email address (name@example.com) for one-time codes.', status: 400 });
      return answer(await k.call(s, req, 'TagUser', { UserName: user, 'Tags.member.1.Key': EMAIL_TAG, 'Tags.member.1.Value': email }), 'email-set');
    }
    case '/console/users/email/remove':
      return answer(await k.call(s, req, 'UntagUser', { UserName: user, 'TagKeys.member.1': EMAIL_TAG }), 'email-removed');
    default: return null;
  }
};
