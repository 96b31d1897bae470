// "Assign MFA device" → "Hardware TOTP token": the token's serial number (tokens come into the inventory with
// `gatehouse hardware-tokens import`) and two consecutive codes. The same EnableMFADevice as the API: for oneself
// (root through the same authoriser and domain function, as for authenticator apps), or for a user on their page.
import { html } from '../html.js';
import type { SafeHtml } from '../html.js';
import * as P from '../pages.js';
import { MFA_QUOTA_REACHED, deviceQuotaReached, statusOf } from '../kit.js';
import type { PageRoute } from '../kit.js';
import { backTo } from './access-keys.js';
import { MESSAGES, enrollableForUsers } from '../signin-flow.js';

export function assignHardware(o: { who: NonNullable<P.Layout['who']>; csrf: string; user?: string | undefined; serial?: string | undefined; error?: string | undefined }): SafeHtml {
  return P.page({ title: o.user ? `Assign a hardware TOTP token to ${o.user}` : 'Set up your hardware TOTP token', who: o.who, error: o.error }, html`
<p>Enter the serial number printed on the back of the token, then two consecutive codes it shows (press its button, wait for a new code, press again).</p>
${P.form(o.user ? '/console/users/mfa/hardware' : '/console/mfa/assign/hardware', o.csrf, html`
${o.user ? html`<input type="hidden" name="user" value="${o.user}">` : ''}
${P.field('serial', 'Serial number', { value: o.serial, autofocus: true, hint: 'As imported by your administrator (gatehouse hardware-tokens import), e.g. GAHT12345678.' })}
${P.field('code1', 'MFA code 1', { autocomplete: 'one-time-code', inputmode: 'numeric' })}
${P.field('code2', 'MFA code 2', { autocomplete: 'one-time-code', inputmode: 'numeric' })}
<button type="submit">Add MFA</button>`)}
<p class="hint"><a href="${backTo(o.user)}">Cancel</a></p>`);
}

const reason = (code: string, message: string): string => (code === 'InvalidAuthenticationCode' ? 'The codes are not valid for this token. Enter two consecutive codes (wait for a new code between them).'
  : code === 'NoSuchEntity' ? 'There is no hardware token with this serial number in the account\'s inventory. Check the serial, or ask your administrator to import the token.'
    : code === 'EntityAlreadyExists' ? 'This token is already assigned.'
      : code === 'LimitExceeded' ? MFA_QUOTA_REACHED : message);

export const hardwareRoutes: PageRoute = async (k, r) => {
  const self = r.path === '/console/mfa/assign/hardware';
  if (!self && r.path !== '/console/users/mfa/hardware') return null;
  const user = self ? undefined : (r.post ? r.form.get('user') : r.req.url.searchParams.get('name')) ?? '';
  const csrf = r.s.session.csrf;
  // For a user (an administrator's page): only when the account's MFA settings allow TOTP (one's own: signin-flow.ts checks).
  if (user !== undefined && !(await enrollableForUsers(k.deps.db, r.s.account.accountId)).includes('hardware')) {
    return k.respond(403, P.message({ title: `Assign a hardware TOTP token to ${user}`, text: MESSAGES.typeNotAllowed, who: r.who, link: { href: backTo(user), label: `User ${user}` } }));
  }
  if (!r.post) return k.respond(200, assignHardware({ who: r.who, csrf, user }));
  const serial = (r.form.get('serial') ?? '').trim();
  const view = (status: number, error: string) => k.respond(status, assignHardware({ who: r.who, csrf, user, serial, error }));
  if (!serial) return view(400, 'Enter the token\'s serial number.');
  if (await deviceQuotaReached(k, r.s, r.req, user)) return view(409, MFA_QUOTA_REACHED);
  const params = { SerialNumber: serial, AuthenticationCode1: r.form.get('code1') ?? '', AuthenticationCode2: r.form.get('code2') ?? '' };
  const c = user === undefined ? await k.ownDevice(r.s, r.req, 'EnableMFADevice', params) : await k.call(r.s, r.req, 'EnableMFADevice', { ...params, UserName: user });
  if (!c.ok) return view(statusOf(c), reason(c.code, c.message));
  return k.redirect(user === undefined ? '/console/security-credentials?done=hardware-added' : `${backTo(user)}&done=user-mfa-added`);
};
