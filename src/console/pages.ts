// The console's pages: plain HTML forms that work without JavaScript. Every field has its label, errors are
// announced (role="alert") next to the form, and every POST form carries the CSRF token.
import { html, trusted } from './html.js';
import type { HtmlValue, SafeHtml } from './html.js';

export interface Layout {
  readonly title: string;
  /** Who is signed in (shown with "Sign out"), with the session's CSRF token. */
  readonly who?: { readonly label: string; readonly csrf: string } | undefined;
  readonly error?: string | undefined;
  readonly notice?: string | undefined;
}

export const CSS = `
:root { font-family: "DejaVu Sans", system-ui, sans-serif; color: #16191f; background: #f2f3f3; }
body { margin: 0; }
header { display: flex; gap: 1rem; align-items: center; background: #232f3e; color: #fff; padding: .6rem 1.2rem; }
header a { color: #fff; font-weight: bold; text-decoration: none; }
header .who { margin-left: auto; }
header form { margin: 0; }
header button { margin: 0; }
main { max-width: 60rem; margin: 1.5rem auto; background: #fff; padding: 1.2rem 1.6rem 1.6rem; border-radius: 6px; }
h1 { font-size: 1.5rem; margin-top: 0; }
label { display: block; font-weight: bold; margin: .9rem 0 .25rem; }
input[type=text], input[type=password], input[type=email], input[type=datetime-local], select { width: 100%; box-sizing: border-box; padding: .45rem; font-size: 1rem; border: 1px solid #8d99a8; border-radius: 3px; }
input:focus, button:focus, a:focus, summary:focus { outline: 3px solid #0972d3; outline-offset: 1px; }
fieldset { border: 1px solid #d1d5db; margin: .9rem 0; }
fieldset label { display: inline; font-weight: normal; }
button { margin-top: 1rem; padding: .5rem 1.2rem; font-size: 1rem; background: #ff9900; border: 1px solid #c77700; border-radius: 3px; color: #16191f; cursor: pointer; }
button.secondary { background: #fff; border-color: #8d99a8; }
.error { border-left: 4px solid #d13212; background: #fdf3f1; padding: .6rem .8rem; margin: .8rem 0; }
.notice { border-left: 4px solid #1d8102; background: #f2fcf3; padding: .6rem .8rem; margin: .8rem 0; }
.hint { color: #545b64; font-size: .9rem; }
table { border-collapse: collapse; width: 100%; margin: .8rem 0; }
th, td { text-align: left; padding: .4rem; border-bottom: 1px solid #e9ebed; vertical-align: top; }
td form { display: inline; margin: 0; }
td button { margin: 0 .3rem 0 0; padding: .2rem .6rem; font-size: .9rem; }
code, .secret { font-family: "DejaVu Sans Mono", monospace; word-break: break-all; }
nav.choice { display: flex; gap: 1.5rem; margin-bottom: .5rem; }
details { margin: .8rem 0; }
nav.main { display: flex; flex-wrap: wrap; gap: 1.2rem; background: #fff; padding: .5rem 1.2rem; border-bottom: 1px solid #d1d5db; }
nav.main a { color: #0972d3; }
main.wide { max-width: 70rem; }
input[type=number] { width: 6rem; padding: .35rem; }
textarea, pre.policy { width: 100%; box-sizing: border-box; font-family: "DejaVu Sans Mono", monospace; font-size: .85rem; }
pre.policy { background: #f8f8f8; border: 1px solid #e9ebed; padding: .6rem; white-space: pre-wrap; }
.inline-form { display: flex; gap: .6rem; align-items: end; flex-wrap: wrap; }
.inline-form label { margin: 0; }
.check { margin: .5rem 0; }
.status-ok { color: #1d8102; font-weight: bold; }
.status-warning { color: #d13212; font-weight: bold; }
.status-unknown { color: #545b64; }
.check label { display: inline; font-weight: normal; margin: 0; }
summary { cursor: pointer; color: #0972d3; }
`;

/** The signed-in console's navigation (every page enforces its own IAM actions; a refused one says so). */
const NAV = trusted(`<nav class="main" aria-label="Console"><a href="/console/dashboard">Dashboard</a> <a href="/console/users">Users</a> <a href="/console/groups">Groups</a> <a href="/console/policies">Policies</a> <a href="/console/account">Account settings</a> <a href="/console/events">Event history</a> <a href="/console/security-credentials">Security credentials</a></nav>`);

export const csrfField = (csrf: string): SafeHtml => html`<input type="hidden" name="csrf" value="${csrf}">`;

export function page(l: Layout, body: HtmlValue): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${l.title} · Gatehouse console</title>
<link rel="stylesheet" href="/console/static/console.css">
</head>
<body>
<header>
<a href="/console">Gatehouse console</a>
${l.who ? html`<a href="/console/security">Security</a>` : ''}
${l.who ? html`<span class="who">${l.who.label}</span>
<form method="post" action="/console/signout">${csrfField(l.who.csrf)}<button type="submit" class="secondary">Sign out</button></form>` : ''}
</header>
${l.who ? NAV : ''}
<main id="main">
<h1>${l.title}</h1>
${l.notice ? html`<div class="notice" role="status">${l.notice}</div>` : ''}
${l.error ? html`<div class="error" role="alert" id="form-error">${l.error}</div>` : ''}
${body}
</main>
</body>
</html>
`;
}

interface FieldOptions {
  readonly type?: 'text' | 'password' | 'email';
  readonly value?: string | undefined;
  readonly autocomplete?: string;
  readonly required?: boolean;
  readonly autofocus?: boolean;
  readonly inputmode?: 'numeric';
  readonly hint?: string;
}

/** A labelled input: the label names it for assistive technology and for the tests (getByLabel). */
export function field(id: string, label: string, o: FieldOptions = {}): SafeHtml {
  return html`<label for="${id}">${label}</label>
<input id="${id}" name="${id}" type="${o.type ?? 'text'}"${o.value !== undefined ? html` value="${o.value}"` : ''}${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''}${o.required === false ? '' : trusted(' required')}${o.autofocus ? trusted(' autofocus') : ''}${o.inputmode ? html` inputmode="${o.inputmode}" pattern="[0-9]{6}" maxlength="6"` : ''}${o.hint ? html` aria-describedby="${id}-hint"` : ''}>
${o.hint ? html`<div class="hint" id="${id}-hint">${o.hint}</div>` : ''}`;
}

export function form(action: string, csrf: string, body: HtmlValue): SafeHtml {
  return html`<form method="post" action="${action}" novalidate>${csrfField(csrf)}${body}</form>`;
}

const choice = (current: 'user' | 'root', account?: string): SafeHtml => html`<nav class="choice" aria-label="Sign in as">
${current === 'user' ? html`<strong>IAM user</strong>` : html`<a href="/console${account ? html`?account=${encodeURIComponent(account)}` : ''}">IAM user</a>`}
${current === 'root' ? html`<strong>Root user</strong>` : html`<a href="/console/root">Root user</a>`}
</nav>`;

export function signinUser(o: { csrf: string; account?: string | undefined; userName?: string | undefined; error?: string | undefined; notice?: string | undefined }): SafeHtml {
  return page({ title: 'Sign in', error: o.error, notice: o.notice }, html`${choice('user', o.account)}
${form('/console/signin', o.csrf, html`
${field('account', 'Account ID or alias', { value: o.account, autocomplete: 'organization', autofocus: !o.account })}
${field('username', 'IAM user name', { value: o.userName, autocomplete: 'username', autofocus: Boolean(o.account) })}
${field('password', 'Password', { type: 'password', autocomplete: 'current-password' })}
<button type="submit">Sign in</button>`)}
<p class="hint"><a href="/console/root">Sign in using root user email</a></p>`);
}

export function signinRootEmail(o: { csrf: string; email?: string | undefined; error?: string | undefined }): SafeHtml {
  return page({ title: 'Sign in', error: o.error }, html`${choice('root')}
${form('/console/root', o.csrf, html`
${field('email', 'Root user email address', { type: 'email', value: o.email, autocomplete: 'email', autofocus: true })}
<button type="submit">Next</button>`)}`);
}

export function signinRootPassword(o: { csrf: string; email: string; error?: string | undefined }): SafeHtml {
  return page({ title: 'Root user sign in', error: o.error }, html`${choice('root')}
<p>Email: <strong>${o.email}</strong> (<a href="/console/root">not you?</a>)</p>
${form('/console/root/signin', o.csrf, html`
<input type="hidden" name="email" value="${o.email}">
${field('password', 'Password', { type: 'password', autocomplete: 'current-password', autofocus: true })}
<button type="submit">Sign in</button>`)}`);
}

/** At the MFA stage: a recovery code in place of the device (src/console/recovery.ts). */
export const RECOVERY_LINK = trusted('<p class="hint">Lost your MFA device? <a href="/console/mfa/recovery" id="use-recovery-code">Use a recovery code</a></p>');

export interface DeviceChoice { readonly serial: string; readonly label: string }

export function mfaCode(o: { csrf: string; devices: readonly DeviceChoice[]; error?: string | undefined; notice?: string | undefined; suggestResync: boolean;
  /** More fields of the form (context-aware accounts: "This is a trusted device"). */
  extra?: SafeHtml | undefined;
  /** "Use a recovery code" (the account's recovery codes are on). */
  recovery: boolean }): SafeHtml {
  const single = o.devices.length === 1 ? o.devices[0] : undefined;
  return page({ title: 'Multi-factor authentication', error: o.error, notice: o.notice }, html`
<p>Your account is protected by an MFA device. Enter the code it shows.</p>
${form('/console/mfa', o.csrf, html`
${single ? html`<input type="hidden" name="serial" value="${single.serial}"><p>Device: <code>${single.label}</code></p>`
    : html`<label for="serial">MFA device</label><select id="serial" name="serial">${o.devices.map((d) => html`<option value="${d.serial}">${d.label}</option>`)}</select>`}
${field('code', 'MFA code', { autocomplete: 'one-time-code', inputmode: 'numeric', autofocus: true })}
${o.extra ?? ''}
<button type="submit">Submit</button>`)}
${o.suggestResync ? html`<p class="hint" id="resync-hint">Codes keep failing? Your device's clock may have drifted: <a href="/console/mfa/resync">resync the MFA device</a> with two consecutive codes.</p>` : ''}
${o.recovery ? RECOVERY_LINK : ''}
<p class="hint"><a href="/console/cancel">Cancel and sign in again</a></p>`);
}

export function mfaResyncAtSignin(o: { csrf: string; devices: readonly DeviceChoice[]; error?: string | undefined; notice?: string | undefined }): SafeHtml {
  return page({ title: 'Resync MFA device', error: o.error, notice: o.notice }, html`
<p>Enter two consecutive codes from your device. Then sign in with the next code.</p>
${form('/console/mfa/resync', o.csrf, html`
<label for="serial">MFA device</label><select id="serial" name="serial">${o.devices.map((d) => html`<option value="${d.serial}">${d.label}</option>`)}</select>
${field('code1', 'MFA code 1', { autocomplete: 'one-time-code', inputmode: 'numeric' })}
${field('code2', 'MFA code 2', { autocomplete: 'one-time-code', inputmode: 'numeric' })}
<button type="submit">Resync</button>`)}
<p class="hint"><a href="/console/mfa">Back to the MFA code</a></p>`);
}

export function changePassword(o: { who: Layout['who']; csrf: string; forced: boolean; error?: string | undefined; notice?: string | undefined }): SafeHtml {
  return page({ title: o.forced ? 'Set a new password' : 'Change password', who: o.who, error: o.error, notice: o.notice }, html`
${o.forced ? html`<p>Your password must be changed before you continue (your administrator requires it, or it expired).</p>` : ''}
${form('/console/password', o.csrf, html`
${field('old', 'Current password', { type: 'password', autocomplete: 'current-password', autofocus: true })}
${field('new', 'New password', { type: 'password', autocomplete: 'new-password' })}
${field('confirm', 'Confirm new password', { type: 'password', autocomplete: 'new-password' })}
<button type="submit">Change password</button>`)}
${o.forced ? '' : html`<p class="hint"><a href="/console/security-credentials">Back to Security credentials</a></p>`}`);
}

/** What a page shows of an IAM call: its result, or why the caller's policies refused it. */
export type Shown<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly denied: string };

export function dashboard(o: { who: NonNullable<Layout['who']>; notice?: string | undefined; accountId: string; alias: string | null; signinLinks: readonly string[];
  summary: Shown<Readonly<Partial<Record<string, number>>>>; mfaPresent: boolean;
  /** The first set of recovery codes (shown once), or the few-codes-left warning (./pages/recovery-codes.ts). */
  recoveryCodes?: SafeHtml | undefined }): SafeHtml {
  const keys = ['Users', 'Groups', 'Roles', 'Policies', 'MFADevices', 'MFADevicesInUse', 'AccountMFAEnabled', 'AccountAccessKeysPresent'];
  return page({ title: 'Console home', who: o.who, notice: o.notice }, html`
<p>Account <strong>${o.accountId}</strong>${o.alias ? html` (alias <strong>${o.alias}</strong>)` : ''}.
Signed in ${o.mfaPresent ? 'with' : 'without'} MFA.</p>
${o.recoveryCodes ?? ''}
<h2>Sign-in link for IAM users</h2>
<ul>${o.signinLinks.map((l) => html`<li><a href="${l}"><code>${l}</code></a></li>`)}</ul>
<h2>Security</h2>
<p><a href="/console/security-credentials">Security credentials</a> (your MFA devices and password)</p>
<h2>Account summary</h2>
${summaryTable(o.summary, keys)}`);
}

function summaryTable(summary: Shown<Readonly<Partial<Record<string, number>>>>, keys: readonly string[]): SafeHtml {
  if (!summary.ok) return html`<div class="error" role="alert" id="summary-denied">${summary.denied}</div>`;
  const values = summary.value;
  return html`<table id="summary"><tbody>${keys.map((k) => html`<tr><th scope="row">${k}</th><td>${values[k] ?? 0}</td></tr>`)}</tbody></table>`;
}

export interface DeviceRowView { readonly serial: string; readonly type: string; readonly created: string; readonly totp: boolean }

export function securityCredentials(o: { who: NonNullable<Layout['who']>; csrf: string; notice?: string | undefined; error?: string | undefined;
  devices: Shown<readonly DeviceRowView[]>; canChangePassword: boolean; accessKeys?: SafeHtml | undefined; signin?: SafeHtml | undefined }): SafeHtml {
  return page({ title: 'Security credentials', who: o.who, notice: o.notice, error: o.error }, html`
<h2>Multi-factor authentication (MFA)</h2>
${!o.devices.ok ? html`<div class="error" role="alert" id="devices-denied">${o.devices.denied}</div>` : o.devices.value.length === 0
    ? html`<p id="no-devices">No MFA device is assigned. Assign one to protect your sign-in.</p>`
    : html`<table id="mfa-devices"><thead><tr><th scope="col">Identifier</th><th scope="col">Type</th><th scope="col">Created</th><th scope="col">Actions</th></tr></thead><tbody>
${o.devices.value.map((d) => html`<tr><td><code>${d.serial}</code></td><td>${d.type}</td><td>${d.created}</td><td>
${d.totp ? html`<a href="/console/mfa/device/resync?serial=${encodeURIComponent(d.serial)}">Resync</a> ` : ''}
${form('/console/mfa/device/remove', o.csrf, html`<input type="hidden" name="serial" value="${d.serial}"><button type="submit" class="secondary" aria-label="Remove ${d.serial}">Remove</button>`)}
</td></tr>`)}
</tbody></table>`}
<p><a href="/console/mfa/assign">Assign MFA device</a></p>
${o.signin ?? ''}
<h2>Console password</h2>
${o.canChangePassword ? html`<p><a href="/console/password">Change password</a></p>` : html`<p class="hint">The root user's password is changed with the root email flow (not in this console yet).</p>`}
${o.accessKeys ?? ''}`);
}

/** The device kinds Assign MFA device offers (the account's MFA settings may allow fewer: src/console/signin-flow.ts). */
const ASSIGN_CHOICES = [
  { kind: 'virtual', value: 'app', id: 'type-app', label: 'Authenticator app' },
  { kind: 'fido', value: 'fido', id: 'type-fido', label: 'Passkey or security key' },
  { kind: 'hardware', value: 'hardware', id: 'type-hardware', label: 'Hardware TOTP token' },
] as const;

export function assignMfa(o: { who: NonNullable<Layout['who']>; csrf: string; name?: string | undefined; error?: string | undefined; notice?: string | undefined;
  kinds?: readonly string[] | undefined }): SafeHtml {
  const choices = ASSIGN_CHOICES.filter((c) => !o.kinds || o.kinds.includes(c.kind));
  return page({ title: 'Assign MFA device', who: o.who, error: o.error, notice: o.notice }, html`
${form('/console/mfa/assign', o.csrf, html`
${field('name', 'Device name', { value: o.name, autofocus: true, hint: 'Letters, digits and +=,.@_- (up to 128). Under AWS\'s self-service policy it must be your user name.' })}
<fieldset><legend>MFA device type</legend>
${choices.map((c, i) => html`<div><input type="radio" id="${c.id}" name="type" value="${c.value}"${i === 0 ? html` checked` : ''}> <label for="${c.id}">${c.label}</label></div>`)}
</fieldset>
<button type="submit">Next</button>`)}
<p class="hint"><a href="/console/security-credentials">Cancel</a></p>`);
}

export function assignApp(o: { who: NonNullable<Layout['who']>; csrf: string; serial: string; qrDataUri: string; base32: string; error?: string | undefined }): SafeHtml {
  return page({ title: 'Set up your authenticator app', who: o.who, error: o.error }, html`
<ol>
<li>Install an authenticator app on your phone or computer.</li>
<li>Scan the QR code with it, or type the secret key.
<details id="qr"><summary>Show QR code</summary><img src="${o.qrDataUri}" alt="QR code of the device's secret key (the same as the secret key below)" width="300" height="300"></details>
<details id="secret"><summary>Show secret key</summary><p class="secret" id="secret-key">${o.base32}</p></details></li>
<li>Enter two consecutive codes from the app.</li>
</ol>
<p>Device: <code>${o.serial}</code></p>
${form('/console/mfa/assign/app', o.csrf, html`
${field('code1', 'MFA code 1', { autocomplete: 'one-time-code', inputmode: 'numeric' })}
${field('code2', 'MFA code 2', { autocomplete: 'one-time-code', inputmode: 'numeric' })}
<button type="submit">Add MFA</button>`)}
${form('/console/mfa/assign/cancel', o.csrf, html`<button type="submit" class="secondary">Cancel</button>`)}`);
}

export function resyncDevice(o: { who: NonNullable<Layout['who']>; csrf: string; serial: string; error?: string | undefined }): SafeHtml {
  return page({ title: 'Resync MFA device', who: o.who, error: o.error }, html`
<p>Device: <code>${o.serial}</code>. Enter two consecutive codes from it.</p>
${form('/console/mfa/device/resync', o.csrf, html`
<input type="hidden" name="serial" value="${o.serial}">
${field('code1', 'MFA code 1', { autocomplete: 'one-time-code', inputmode: 'numeric', autofocus: true })}
${field('code2', 'MFA code 2', { autocomplete: 'one-time-code', inputmode: 'numeric' })}
<button type="submit">Resync</button>`)}
<p class="hint"><a href="/console/security-credentials">Cancel</a></p>`);
}

export function message(o: { title: string; text: string; who?: Layout['who']; link?: { href: string; label: string } }): SafeHtml {
  return page({ title: o.title, who: o.who, error: o.text }, o.link ? html`<p><a href="${o.link.href}">${o.link.label}</a></p>` : '');
}
