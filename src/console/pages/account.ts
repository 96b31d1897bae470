// Account settings: the account password policy (GetAccountPasswordPolicy, UpdateAccountPasswordPolicy,
// DeleteAccountPasswordPolicy), the account alias (ListAccountAliases, CreateAccountAlias, DeleteAccountAlias) and
// the sign-in link for IAM users, as the API runs them; a link to the account's MFA settings for console sign-in
// (./mfa-settings.ts).
import { html } from '../html.js';
import type { SafeHtml } from '../html.js';
import * as P from '../pages.js';
import { refused, signinLinks, statusOf } from '../kit.js';
import type { Failure, PageRoute } from '../kit.js';
import type { PasswordPolicy } from '../../aws/models/iam.generated.js';

const FLAGS = [
  ['RequireUppercaseCharacters', 'Require at least one uppercase letter (A–Z)'],
  ['RequireLowercaseCharacters', 'Require at least one lowercase letter (a–z)'],
  ['RequireNumbers', 'Require at least one number'],
  ['RequireSymbols', 'Require at least one non-alphanumeric character'],
  ['AllowUsersToChangePassword', 'Allow users to change their own password'],
  ['HardExpiry', 'Password expiration requires administrator reset (hard expiry)'],
] as const;
const NUMBERS = [
  ['MinimumPasswordLength', 'Minimum password length', '6 to 128'],
  ['MaxPasswordAge', 'Password expires after (days)', '1 to 1095; empty: never'],
  ['PasswordReusePrevention', 'Remember previous passwords', '1 to 24; empty: no reuse check'],
] as const;

function policyForm(csrf: string, p: PasswordPolicy | null): SafeHtml {
  return P.form('/console/account/password-policy', csrf, html`
${NUMBERS.map(([key, label, hint]) => html`<label for="${key}">${label}</label><input type="number" id="${key}" name="${key}" value="${p?.[key] ?? (key === 'MinimumPasswordLength' ? 8 : '')}" aria-describedby="${key}-hint"> <span class="hint" id="${key}-hint">${hint}</span>`)}
${FLAGS.map(([key, label]) => html`<div class="check"><input type="checkbox" id="${key}" name="${key}" value="on"${p?.[key] ? html` checked` : ''}> <label for="${key}">${label}</label></div>`)}
<button type="submit">Save password policy</button>`);
}

export const accountRoutes: PageRoute = async (k, r) => {
  if (r.path !== '/console/account' && !r.path.startsWith('/console/account/')) return null;
  const { s, req, form } = r;
  const csrf = s.session.csrf;
  const back = { href: '/console/account', label: 'Account settings' };
  const fail = (c: Failure) => (c.code === 'AccessDenied' ? refused(k, r, c, back)
    : k.respond(statusOf(c), P.message({ title: 'Request failed', text: c.message, who: r.who, link: back })));
  if (r.path === '/console/account' && !r.post) {
    const [policy, aliases] = await Promise.all([k.call(s, req, 'GetAccountPasswordPolicy', {}), k.call(s, req, 'ListAccountAliases', {})]);
    if (!policy.ok && policy.code === 'AccessDenied') return refused(k, r, policy);
    const current = policy.ok ? policy.value.PasswordPolicy : null;
    const alias = aliases.ok ? aliases.value.AccountAliases[0] ?? null : s.account.alias;
    const links = signinLinks(k.deps.publicUrl(), { accountId: s.account.accountId, alias });
    return k.respond(200, P.page({ title: 'Account settings', who: r.who, notice: r.notice }, html`
<p>Account <strong>${s.account.accountId}</strong>.</p>
<h2>Sign-in link for IAM users</h2>
<ul id="account-signin-links">${links.map((l) => html`<li><a href="${l}"><code>${l}</code></a></li>`)}</ul>
<h2>Account alias</h2>
${!aliases.ok ? html`<div class="error" role="alert">${aliases.message}</div>` : ''}
${P.form('/console/account/alias', csrf, html`<div class="inline-form"><div>${P.field('alias', 'Account alias', { value: alias ?? '', hint: 'Lowercase letters, digits and hyphens (3 to 63); it replaces the account id in the sign-in link.' })}</div><button type="submit">Save alias</button></div>`)}
${alias ? P.form('/console/account/alias/delete', csrf, html`<input type="hidden" name="alias" value="${alias}"><button type="submit" class="secondary">Delete alias</button>`) : ''}
<h2>Multi-factor authentication</h2>
<p>How console sign-in asks for MFA, which MFA types users may use, what happens to users without a device, trusted devices and recovery codes: <a href="/console/account/mfa" id="mfa-settings-link">Multi-factor authentication settings</a>.</p>
<h2>Password policy</h2>
<p id="password-policy-state">${current ? 'A custom password policy applies to IAM users\' console passwords.' : policy.ok || policy.code === 'NoSuchEntity' ? 'No custom password policy: the default rules apply (at least 8 characters, three of the four character kinds).' : policy.message}</p>
${policyForm(csrf, current)}
${current ? P.form('/console/account/password-policy/delete', csrf, html`<button type="submit" class="secondary">Delete password policy</button>`) : ''}`));
  }
  if (!r.post) return null;
  switch (r.path) {
    case '/console/account/password-policy': {
      const params: Record<string, string> = {};
      for (const [key] of NUMBERS) { const v = (form.get(key) ?? '').trim(); if (v) params[key] = v; }
      for (const [key] of FLAGS) params[key] = form.get(key) === 'on' ? 'true' : 'false';
      const c = await k.call(s, req, 'UpdateAccountPasswordPolicy', params);
      return c.ok ? k.redirect('/console/account?done=password-policy') : fail(c);
    }
    case '/console/account/password-policy/delete': {
      const c = await k.call(s, req, 'DeleteAccountPasswordPolicy', {});
      return c.ok ? k.redirect('/console/account?done=password-policy-deleted') : fail(c);
    }
    case '/console/account/alias': {
      const alias = (form.get('alias') ?? '').trim();
      if (s.account.alias && s.account.alias !== alias) {
        // One alias per account: the old one goes first, as AWS's console does.
        const d = await k.call(s, req, 'DeleteAccountAlias', { AccountAlias: s.account.alias });
        if (!d.ok) return fail(d);
      }
      if (s.account.alias === alias) return k.redirect('/console/account?done=alias-set');
      const c = await k.call(s, req, 'CreateAccountAlias', { AccountAlias: alias });
      return c.ok ? k.redirect('/console/account?done=alias-set') : fail(c);
    }
    case '/console/account/alias/delete': {
      const c = await k.call(s, req, 'DeleteAccountAlias', { AccountAlias: form.get('alias') ?? '' });
      return c.ok ? k.redirect('/console/account?done=alias-deleted') : fail(c);
    }
    default: return null;
  }
};
