// The console's pages for passkeys and security keys: the WebAuthn ceremonies (which need the browser's API, so
// these are the only pages with a script: /console/static/webauthn.js, bundled from ../islands/webauthn.browser.ts)
// and the choice of second factor when a principal has devices of several types.
import { html } from '../html.js';
import type { SafeHtml } from '../html.js';
import { page, form, RECOVERY_LINK } from '../pages.js';
import type { Layout } from '../pages.js';

export interface Ceremony {
  readonly title: string;
  readonly who?: Layout['who'];
  readonly csrf: string;
  /** Where the form posts the browser's response. */
  readonly action: string;
  readonly mode: 'register' | 'authenticate';
  /** The options for navigator.credentials (JSON), for the island. */
  readonly optionsJson: string;
  readonly intro: string;
  readonly button: string;
  readonly error?: string | undefined;
  readonly notice?: string | undefined;
  /** Shown when the browser is not on the public URL (WebAuthn would refuse): where to open the console instead. */
  readonly wrongOrigin?: string | undefined;
  readonly back: { readonly href: string; readonly label: string };
  /** More fields of the form the island submits (context-aware accounts: "This is a trusted device"). */
  readonly extraFields?: SafeHtml | undefined;
  /** At sign-in: "Use a recovery code" (the account's recovery codes are on). */
  readonly recovery?: boolean | undefined;
}

export function ceremony(c: Ceremony): SafeHtml {
  return page({ title: c.title, who: c.who, error: c.error, notice: c.notice }, html`
<p>${c.intro}</p>
${c.wrongOrigin ? html`<div class="error" role="alert" id="wrong-origin">Passkeys and security keys work only at the console's public address: open <a href="${c.wrongOrigin}">${c.wrongOrigin}</a>.</div>` : ''}
<div id="webauthn-options" data-mode="${c.mode}" data-options="${c.optionsJson}" hidden></div>
${form(c.action, c.csrf, html`<input type="hidden" name="response" id="webauthn-response" value="">${c.extraFields ?? ''}`)}
<button type="button" id="webauthn-start" disabled>${c.button}</button>
<p class="hint" id="webauthn-status" role="status" aria-live="polite"></p>
<noscript><p class="error">Passkeys and security keys need JavaScript in this page (the browser's WebAuthn API). Other MFA devices work without it.</p></noscript>
${c.mode === 'authenticate' && c.recovery ? RECOVERY_LINK : ''}
<p class="hint"><a href="${c.back.href}">${c.back.label}</a></p>
<script src="/console/static/webauthn.js" defer></script>`);
}

/** A principal with code devices and FIDO devices chooses the type first. */
export function chooseMfaType(recovery: boolean): SafeHtml {
  return page({ title: 'Multi-factor authentication' }, html`
<p>Your account is protected by more than one type of MFA device. Choose the one to use.</p>
<ul class="mfa-types">
<li><a href="/console/mfa/webauthn" id="choose-fido">Passkey or security key</a></li>
<li><a href="/console/mfa?type=code" id="choose-code">Authenticator app or hardware TOTP token (MFA code)</a></li>
</ul>
${recovery ? RECOVERY_LINK : ''}
<p class="hint"><a href="/console/cancel">Cancel and sign in again</a></p>`);
}
