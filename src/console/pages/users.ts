// The administrator's Users pages: the list (console access, MFA devices and their types, password age, last
// console sign-in, access key age; "without MFA" filter) and a user's page with a Security credentials tab:
// console access (CreateLoginProfile with "must create a new password at next sign-in", UpdateLoginProfile,
// DeleteLoginProfile), MFA devices (assign an authenticator app or a hardware token on the user's behalf; remove a
// lost device with DeactivateMFADevice then DeleteVirtualMFADevice, as AWS's console does) and access keys. Every
// read and change is the IAM operation the API would run, authorised the same way: a caller without the
// permission gets the authoriser's "not authorized" as an Access denied page.
import { html } from '../html.js';
import type { SafeHtml } from '../html.js';
import * as P from '../pages.js';
import { DEVICE_KIND_LABEL, MFA_QUOTA_REACHED, ageDays, deviceKind, deviceQuotaReached, refused, shortDate, statusOf } from '../kit.js';
import type { Failure, Kit, PageRequest, PageRoute } from '../kit.js';
import type { ActiveSession, ConsoleRequest, ConsoleResponse } from '../index.js';
import { backTo, ownAccessKeys } from './access-keys.js';
import { protectionsSection, recoveryCodeColumn, recoveryCodesText } from './user-protections.js';
import { MESSAGES, enrollableForUsers } from '../signin-flow.js';

/** One user as the list and the dashboard show them. */
export interface UserRow {
  readonly name: string;
  readonly id: string;
  readonly consoleAccess: boolean | null;
  /** The user's MFA device kinds (null: not allowed to list them). */
  readonly mfa: readonly ReturnType<typeof deviceKind>[] | null;
  readonly passwordSince: Date | null;
  readonly lastSignIn: Date | null;
  /** The oldest active access key's creation date (null: none, or not allowed to list them). */
  readonly oldestActiveKey: Date | null;
}

const USERS_SHOWN = 1000;
const DETAIL_BATCH = 20;

/**
 * Every user with their credentials' state, read with ListUsers, GetLoginProfile, ListMFADevices and ListAccessKeys
 * as the caller: a refused ListUsers refuses the whole; a refused detail shows as unknown.
 */
export async function userRows(k: Kit, s: ActiveSession, req: ConsoleRequest): Promise<{ ok: true; rows: UserRow[]; truncated: boolean } | Failure> {
  const users = [];
  let marker: string | undefined;
  let truncated = false;
  do {
    const page = await k.call(s, req, 'ListUsers', { MaxItems: '200', ...(marker ? { Marker: marker } : {}) });
    if (!page.ok) return page;
    users.push(...page.value.Users);
    marker = page.value.IsTruncated ? page.value.Marker : undefined;
    if (users.length >= USERS_SHOWN && marker) { truncated = true; break; }
  } while (marker);
  const rows: UserRow[] = [];
  // A few users at a time: each needs three authorised reads, and the store's connections are shared.
  for (let i = 0; i < users.length; i += DETAIL_BATCH) rows.push(...await Promise.all(users.slice(i, i + DETAIL_BATCH).map(async (u): Promise<UserRow> => {
    const [profile, devices, keys] = await Promise.all([
      k.call(s, req, 'GetLoginProfile', { UserName: u.UserName }),
      k.call(s, req, 'ListMFADevices', { UserName: u.UserName }),
      k.call(s, req, 'ListAccessKeys', { UserName: u.UserName }),
    ]);
    const active = keys.ok ? keys.value.AccessKeyMetadata.filter((m) => m.Status === 'Active' && m.CreateDate).map((m) => m.CreateDate!.getTime()) : []; // filtered on CreateDate
    return {
      name: u.UserName,
      id: u.UserId,
      consoleAccess: profile.ok ? true : profile.code === 'NoSuchEntity' ? false : null,
      mfa: devices.ok ? devices.value.MFADevices.map((d) => deviceKind(d.SerialNumber)) : null,
      passwordSince: profile.ok ? profile.value.LoginProfile.CreateDate : null,
      lastSignIn: u.PasswordLastUsed ?? null,
      oldestActiveKey: active.length ? new Date(Math.min(...active)) : null,
    };
  })));
  return { ok: true, rows, truncated };
}

const mfaText = (mfa: UserRow['mfa']): string => {
  if (mfa === null) return 'Unknown (not allowed to list)';
  if (!mfa.length) return 'None';
  const counts = new Map<string, number>();
  for (const kind of mfa) counts.set(DEVICE_KIND_LABEL[kind], (counts.get(DEVICE_KIND_LABEL[kind]) ?? 0) + 1);
  return [...counts].map(([label, n]) => `${n} × ${label}`).join(', ');
};

function usersPage(o: { who: NonNullable<P.Layout['who']>; rows: readonly UserRow[]; codes: ReadonlyMap<string, { total: number; unused: number } | null>; withoutMfa: boolean; truncated: boolean; now: Date; notice?: string | undefined }): SafeHtml {
  const shown = o.withoutMfa ? o.rows.filter((u) => u.mfa !== null && u.mfa.length === 0) : o.rows;
  return P.page({ title: 'Users', who: o.who, notice: o.notice }, html`
<form method="get" action="/console/users" class="inline-form">
<div class="check"><input type="checkbox" id="without-mfa" name="filter" value="without-mfa"${o.withoutMfa ? html` checked` : ''}> <label for="without-mfa">Only users without MFA</label></div>
<button type="submit" class="secondary">Filter</button>
</form>
<p id="users-count">${shown.length} user${shown.length === 1 ? '' : 's'}${o.withoutMfa ? ' without MFA' : ''}${o.truncated ? ` (the first ${USERS_SHOWN})` : ''}.</p>
<table id="users"><thead><tr><th scope="col">User name</th><th scope="col">Console access</th><th scope="col">MFA</th><th scope="col">Password age</th><th scope="col">Last console sign-in</th><th scope="col">Access key age</th><th scope="col">Recovery codes</th></tr></thead><tbody>
${shown.map((u) => html`<tr><td><a href="/console/users/view?name=${encodeURIComponent(u.name)}">${u.name}</a></td>
<td>${u.consoleAccess === null ? 'Unknown' : u.consoleAccess ? 'Enabled' : 'Disabled'}</td>
<td>${mfaText(u.mfa)}</td>
<td>${u.passwordSince ? ageDays(u.passwordSince, o.now) : '—'}</td>
<td>${u.lastSignIn ? shortDate(u.lastSignIn) : u.consoleAccess ? 'Never' : '—'}</td>
<td>${u.oldestActiveKey ? ageDays(u.oldestActiveKey, o.now) : '—'}</td>
<td>${codesCell(o.codes.get(u.name))}</td></tr>`)}
</tbody></table>`);
}

const enc = encodeURIComponent;
const codesCell = (c: { total: number; unused: number } | null | undefined): string => (c ? recoveryCodesText(c) : 'Unknown');

/** The user's page; with extra.error, that message above it (a failed change). */
export async function userPage(k: Kit, r: PageRequest, name: string, extra: { error?: string | undefined; status?: number } = {}): Promise<ConsoleResponse> {
  const { s, req } = r;
  const user = await k.call(s, req, 'GetUser', { UserName: name });
  if (!user.ok) return refused(k, r, user, { href: '/console/users', label: 'Users' });
  const [profile, devices, groups, attached, inline] = await Promise.all([
    k.call(s, req, 'GetLoginProfile', { UserName: name }),
    k.call(s, req, 'ListMFADevices', { UserName: name }),
    k.call(s, req, 'ListGroupsForUser', { UserName: name }),
    k.call(s, req, 'ListAttachedUserPolicies', { UserName: name }),
    k.call(s, req, 'ListUserPolicies', { UserName: name }),
  ]);
  const keys = await ownAccessKeys(k, s, req, name);
  const csrf = s.session.csrf;
  const hidden = html`<input type="hidden" name="user" value="${name}">`;
  const u = user.value.User;
  const denied = (f: Failure): SafeHtml => html`<div class="error" role="alert">${f.message}</div>`;
  const consoleSection = profile.ok
    ? html`<p id="console-access">Console access: <strong>Enabled</strong> (password set ${shortDate(profile.value.LoginProfile.CreateDate)}${profile.value.LoginProfile.PasswordResetRequired ? ', must be changed at next sign-in' : ''}).
Last sign-in: ${u.PasswordLastUsed ? shortDate(u.PasswordLastUsed) : 'never'}.</p>
${P.form('/console/users/console-access/disable', csrf, html`${hidden}<button type="submit" class="secondary">Disable console access</button>`)}
<details><summary>Reset password</summary>
${P.form('/console/users/console-access/reset', csrf, html`${hidden}
${P.field('password', 'New console password', { type: 'password', autocomplete: 'new-password' })}
<div class="check"><input type="checkbox" id="reset-required" name="reset" value="on" checked> <label for="reset-required">User must create a new password at next sign-in</label></div>
<button type="submit">Reset password</button>`)}</details>`
    : profile.code === 'NoSuchEntity'
      ? html`<p id="console-access">Console access: <strong>Disabled</strong>.</p>
<details id="enable-console"><summary>Enable console access</summary>
${P.form('/console/users/console-access/enable', csrf, html`${hidden}
${P.field('password', 'Console password', { type: 'password', autocomplete: 'new-password' })}
<div class="check"><input type="checkbox" id="reset-required" name="reset" value="on" checked> <label for="reset-required">User must create a new password at next sign-in</label></div>
<button type="submit">Enable console access</button>`)}</details>`
      : denied(profile);
  const mfaSection = !devices.ok ? denied(devices) : devices.value.MFADevices.length === 0
    ? html`<p id="user-no-devices">No MFA device assigned.</p>`
    : html`<table id="user-mfa-devices"><thead><tr><th scope="col">Identifier</th><th scope="col">Type</th><th scope="col">Assigned</th><th scope="col">Actions</th></tr></thead><tbody>
${devices.value.MFADevices.map((d) => html`<tr><td><code>${d.SerialNumber}</code></td><td>${DEVICE_KIND_LABEL[deviceKind(d.SerialNumber)]}</td><td>${shortDate(d.EnableDate)}</td><td>
${P.form('/console/users/mfa/remove', csrf, html`${hidden}<input type="hidden" name="serial" value="${d.SerialNumber}"><button type="submit" class="secondary" aria-label="Remove ${d.SerialNumber}">Remove</button>`)}</td></tr>`)}
</tbody></table>`;
  const body = html`
<p>ARN <code>${u.Arn}</code>, created ${shortDate(u.CreateDate)}.</p>
<nav class="choice" aria-label="User tabs"><a href="#permissions">Permissions</a> <a href="#groups">Groups</a> <strong><a href="#security-credentials">Security credentials</a></strong></nav>
<h2 id="permissions">Permissions</h2>
${!attached.ok ? denied(attached) : !(attached.value.AttachedPolicies ?? []).length && !(inline.ok && inline.value.PolicyNames.length) ? html`<p id="user-policies">No policies attached directly (groups may grant more).</p>` : html`<ul id="user-policies">${(attached.value.AttachedPolicies ?? []).map((p) => html`<li><a href="/console/policies/view?arn=${enc(p.PolicyArn ?? '')}">${p.PolicyName}</a> (attached)</li>`)}
${inline.ok ? inline.value.PolicyNames.map((n) => html`<li>${n} (inline)</li>`) : ''}</ul>`}
<h2 id="groups">Groups</h2>
${!groups.ok ? denied(groups) : groups.value.Groups.length ? html`<ul id="user-groups">${groups.value.Groups.map((g) => html`<li><a href="/console/groups/view?name=${enc(g.GroupName)}">${g.GroupName}</a></li>`)}</ul>` : html`<p>Not in any group.</p>`}
<h2 id="security-credentials">Security credentials</h2>
<h3>Console sign-in</h3>
${consoleSection}
<h3>Multi-factor authentication (MFA)</h3>
${mfaSection}
<p><a href="/console/users/mfa/assign?name=${enc(name)}">Assign MFA device</a></p>
${await protectionsSection(k, r, { name: u.UserName, id: u.UserId }, devices.ok)}
${keys}`;
  return k.respond(extra.status ?? 200, P.page({ title: `User ${name}`, who: r.who, notice: r.notice, error: extra.error }, body));
}

function assignForUser(o: { who: NonNullable<P.Layout['who']>; csrf: string; user: string; kinds: readonly string[]; name?: string | undefined; error?: string | undefined }): SafeHtml {
  // Only the types the account's MFA settings allow (src/console/signin-flow.ts); passkeys are registered by the user.
  const app = o.kinds.includes('virtual');
  return P.page({ title: `Assign MFA device to ${o.user}`, who: o.who, error: o.error }, html`
${P.form('/console/users/mfa/assign', o.csrf, html`<input type="hidden" name="user" value="${o.user}">
${P.field('name', 'Device name', { value: o.name ?? o.user, autofocus: true, hint: 'Letters, digits and +=,.@_- (up to 128).' })}
<fieldset><legend>MFA device type</legend>
${app ? html`<div><input type="radio" id="type-app" name="type" value="app" checked> <label for="type-app">Authenticator app</label></div>` : ''}
${o.kinds.includes('hardware') ? html`<div><input type="radio" id="type-hardware" name="type" value="hardware"${app ? '' : html` checked`}> <label for="type-hardware">Hardware TOTP token</label></div>` : ''}
</fieldset>
<button type="submit">Next</button>`)}
<p class="hint"><a href="${backTo(o.user)}">Cancel</a></p>`);
}

/** The new device's QR code and secret, shown on the answer to the POST that created it (nothing kept in the session). */
function appForUser(o: { who: NonNullable<P.Layout['who']>; csrf: string; user: string; serial: string; qr?: string | undefined; base32?: string | undefined; error?: string | undefined }): SafeHtml {
  return P.page({ title: `Set up an authenticator app for ${o.user}`, who: o.who, error: o.error }, html`
${o.qr && o.base32 ? html`<p>Scan the QR code with the user's authenticator app (or type the secret key), then enter two consecutive codes.</p>
<details id="qr"><summary>Show QR code</summary><img src="${o.qr}" alt="QR code of the device's secret key (the same as the secret key below)" width="300" height="300"></details>
<details id="secret"><summary>Show secret key</summary><p class="secret" id="secret-key">${o.base32}</p></details>`
    : html`<p>Enter two consecutive codes from the app set up with this device. (The QR code is shown only once: if it was lost, cancel and assign again.)</p>`}
<p>Device: <code>${o.serial}</code></p>
${P.form('/console/users/mfa/enable', o.csrf, html`<input type="hidden" name="user" value="${o.user}"><input type="hidden" name="serial" value="${o.serial}">
${P.field('code1', 'MFA code 1', { autocomplete: 'one-time-code', inputmode: 'numeric' })}
${P.field('code2', 'MFA code 2', { autocomplete: 'one-time-code', inputmode: 'numeric' })}
<button type="submit">Add MFA</button>`)}
${P.form('/console/users/mfa/cancel', o.csrf, html`<input type="hidden" name="user" value="${o.user}"><input type="hidden" name="serial" value="${o.serial}"><button type="submit" class="secondary">Cancel</button>`)}`);
}

export const userRoutes: PageRoute = async (k, r) => {
  if (r.path !== '/console/users' && !r.path.startsWith('/console/users/')) return null;
  const { s, req, form } = r;
  const csrf = s.session.csrf;
  const now = new Date();
  if (r.path === '/console/users' && !r.post) {
    const list = await userRows(k, s, req);
    if (!list.ok) return refused(k, r, list);
    const codes = await recoveryCodeColumn(k, s, req, list.rows);
    return k.respond(200, usersPage({ who: r.who, rows: list.rows, codes, truncated: list.truncated, withoutMfa: req.url.searchParams.get('filter') === 'without-mfa', now, notice: r.notice }));
  }
  if (r.path === '/console/users/view' && !r.post) return userPage(k, r, req.url.searchParams.get('name') ?? '');

  const user = (r.post ? form.get('user') : req.url.searchParams.get('name')) ?? '';
  const back = { href: backTo(user), label: `User ${user}` };
  const done = (key: string) => k.redirect(`${backTo(user)}&done=${key}`);

  // The types the account's MFA settings allow to be enrolled in the console (the API's EnableMFADevice is not limited).
  const kinds = r.path.startsWith('/console/users/mfa/') ? await enrollableForUsers(k.deps.db, s.account.accountId) : [];
  const notAllowed = () => k.respond(403, P.message({ title: `Assign MFA device to ${user}`, text: MESSAGES.typeNotAllowed, who: r.who, link: { href: backTo(user), label: `User ${user}` } }));
  if (r.path === '/console/users/mfa/assign') {
    if (!kinds.includes('virtual') && !kinds.includes('hardware')) {
      return k.respond(403, P.message({ title: `Assign MFA device to ${user}`, who: r.who, link: { href: backTo(user), label: `User ${user}` },
        text: 'This account allows only passkeys and security keys, which users register themselves at sign-in or on their Security credentials page.' }));
    }
    if (!r.post) return k.respond(200, assignForUser({ who: r.who, csrf, user, kinds }));
    const name = (form.get('name') ?? '').trim();
    if (await deviceQuotaReached(k, s, req, user)) return k.respond(409, assignForUser({ who: r.who, csrf, user, kinds, name, error: MFA_QUOTA_REACHED }));
    if (form.get('type') === 'hardware') return kinds.includes('hardware') ? k.redirect(`/console/users/mfa/hardware?name=${enc(user)}`) : notAllowed();
    if (!kinds.includes('virtual')) return notAllowed();
    if (!name) return k.respond(400, assignForUser({ who: r.who, csrf, user, kinds, name, error: 'Enter a device name.' }));
    const c = await k.call(s, req, 'CreateVirtualMFADevice', { VirtualMFADeviceName: name });
    if (!c.ok) return k.respond(statusOf(c), assignForUser({ who: r.who, csrf, user, kinds, name, error: c.message }));
    const d = c.value.VirtualMFADevice;
    return k.respond(200, appForUser({
      who: r.who, csrf, user, serial: d.SerialNumber,
      base32: Buffer.from(d.Base32StringSeed ?? new Uint8Array()).toString('ascii'),
      qr: `data:image/png;base64,${Buffer.from(d.QRCodePNG ?? new Uint8Array()).toString('base64')}`,
    }));
  }
  if (!r.post) return null;
  const serial = form.get('serial') ?? '';
  switch (r.path) {
    case '/console/users/mfa/enable': {
      if (!kinds.includes('virtual')) return notAllowed();
      const c = await k.call(s, req, 'EnableMFADevice', { UserName: user, SerialNumber: serial, AuthenticationCode1: form.get('code1') ?? '', AuthenticationCode2: form.get('code2') ?? '' });
      if (!c.ok) {
        const error = c.code === 'InvalidAuthenticationCode' ? 'The codes are not valid. Enter two consecutive codes from the app (wait for a new code between them).' : c.code === 'LimitExceeded' ? MFA_QUOTA_REACHED : c.message;
        return k.respond(statusOf(c), appForUser({ who: r.who, csrf, user, serial, error }));
      }
      return done('user-mfa-added');
    }
    case '/console/users/mfa/cancel': {
      await k.call(s, req, 'DeleteVirtualMFADevice', { SerialNumber: serial });
      return k.redirect(backTo(user));
    }
    case '/console/users/mfa/remove': {
      // AWS's console: deactivate, then delete a virtual device (a hardware token goes back to the inventory).
      const c = await k.call(s, req, 'DeactivateMFADevice', { UserName: user, SerialNumber: serial });
      if (!c.ok) return c.code === 'AccessDenied' ? refused(k, r, c, back) : userPage(k, r, user, { error: c.message, status: statusOf(c) });
      if (deviceKind(serial) === 'virtual') {
        const d = await k.call(s, req, 'DeleteVirtualMFADevice', { SerialNumber: serial });
        if (!d.ok) return userPage(k, r, user, { error: `The device was removed from the user but not deleted: ${d.message}`, status: statusOf(d) });
      }
      return done('user-mfa-removed');
    }
    case '/console/users/console-access/enable':
    case '/console/users/console-access/reset': {
      const enable = r.path.endsWith('/enable');
      const c = await k.call(s, req, enable ? 'CreateLoginProfile' : 'UpdateLoginProfile', {
        UserName: user, Password: form.get('password') ?? '', PasswordResetRequired: form.get('reset') === 'on' ? 'true' : 'false',
      });
      if (!c.ok) return c.code === 'AccessDenied' ? refused(k, r, c, back) : userPage(k, r, user, { error: c.message, status: statusOf(c) });
      return done(enable ? 'console-enabled' : 'password-reset');
    }
    case '/console/users/console-access/disable': {
      const c = await k.call(s, req, 'DeleteLoginProfile', { UserName: user });
      if (!c.ok) return refused(k, r, c, back);
      return done('console-disabled');
    }
    default: return null;
  }
};
