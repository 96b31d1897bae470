// The console's sign-in page for a one-time code sent by email (users without an MFA device, when the account's
// MFA settings say "Require them to provide a one-time password sent by email to sign in"): docs/sign-in.md.
import { html } from '../html.js';
import type { SafeHtml } from '../html.js';
import { page, form, field } from '../pages.js';

export function emailCodePage(o: { csrf: string; maskedEmail: string; error?: string | undefined; notice?: string | undefined }): SafeHtml {
  return page({ title: 'Sign-in code', error: o.error, notice: o.notice }, html`
<p>You have no MFA device, so this account signs you in with a one-time code sent by email. We sent a 6-digit code to
<strong id="masked-email">${o.maskedEmail}</strong>. It is valid for 10 minutes and works once.</p>
${form('/console/signin/email-code', o.csrf, html`
${field('code', 'Sign-in code', { autocomplete: 'one-time-code', inputmode: 'numeric', autofocus: true })}
<button type="submit">Sign in</button>`)}
${form('/console/signin/email-code/resend', o.csrf, html`<button type="submit" class="secondary">Send a new code</button>`)}
<p class="hint">A sign-in with an emailed code is not multi-factor authentication: actions that require MFA stay refused.
<a href="/console/cancel">Cancel and sign in again</a></p>`);
}
