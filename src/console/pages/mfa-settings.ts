// Account settings → Multi-factor authentication (/console/account/mfa): the account's MFA settings for console
// sign-in (src/signin/settings.ts), with IAM Identity Center's wording. Reading is authorised as
// gatehouse:GetAccountMfaSettings, changing as gatehouse:UpdateAccountMfaSettings, by the one authoriser; a change
// is stored with updateSettings (the value `gatehouse settings show` prints) and recorded in the event history
// (eventSource "gatehouse", eventName UpdateAccountMfaSettings, the changed settings and their previous values).
import { html } from '../html.js';
import type { SafeHtml } from '../html.js';
import * as P from '../pages.js';
import { refused } from '../kit.js';
import type { PageRoute, PageRequest, Kit } from '../kit.js';
import { ServiceError } from '../../errors.js';
import {
  MAX_RECOVERY_CODES, MAX_TRUSTED_DEVICE_DAYS, changeSettings, readSettings, settingsAsText, settingsChangeEvent,
} from '../../signin/settings.js';
import type { MfaPrompt, MfaType, SettingKey, WithoutDevice } from '../../signin/settings.js';
import { SigninSettingsStore } from '../../store/signin-settings-store.js';

export const MFA_SETTINGS_PATH = '/console/account/mfa';

/** Identity Center's words for each choice ("Configure multi-factor authentication"). */
export const PROMPT_LABELS: Readonly<Record<MfaPrompt, string>> = {
  'every-sign-in': 'Every time they sign in',
  'context-aware': 'Only when their sign-in context changes (context-aware)',
  'never': 'Never',
};
export const TYPE_LABELS: Readonly<Record<MfaType, string>> = {
  webauthn: 'Security keys and built-in authenticators',
  totp: 'Authenticator apps',
};
export const WITHOUT_DEVICE_LABELS: Readonly<Record<WithoutDevice, string>> = {
  'require-registration': 'Require them to register an MFA device at sign in',
  'email-otp': 'Require them to provide a one-time password sent by email to sign in',
  'block': 'Block their sign-in',
  'allow': 'Allow them to sign in',
};
const SELF_MANAGE_LABEL = 'Users can add and manage their own MFA devices';

/** The form's values as submitted (shown again with an error) or as stored. */
type FormValues = Record<SettingKey, string>;

function radios<K extends string>(name: string, legend: string, labels: Readonly<Record<K, string>>, current: string): SafeHtml {
  return html`<fieldset id="${name}"><legend>${legend}</legend>
${(Object.entries(labels) as [K, string][]).map(([value, label]) => html`<div><input type="radio" id="${name}-${value}" name="${name}" value="${value}"${current === value ? html` checked` : ''}> <label for="${name}-${value}">${label}</label></div>`)}
</fieldset>`;
}

function settingsForm(csrf: string, v: FormValues, canChange: boolean): SafeHtml {
  const types = v['allowed-types'].split(',');
  return P.form(MFA_SETTINGS_PATH, csrf, html`
${radios('prompt', 'Prompt users for MFA', PROMPT_LABELS, v.prompt)}
<p class="hint">The root user is always asked for MFA when it has a device, whatever this setting.</p>
<fieldset id="allowed-types"><legend>Users can authenticate with these MFA types</legend>
${(Object.entries(TYPE_LABELS) as [MfaType, string][]).map(([value, label]) => html`<div><input type="checkbox" id="allowed-types-${value}" name="allowed-types" value="${value}"${types.includes(value) ? html` checked` : ''}> <label for="allowed-types-${value}">${label}</label></div>`)}
</fieldset>
${radios('without-device', 'If a user does not yet have a registered MFA device', WITHOUT_DEVICE_LABELS, v['without-device'])}
<fieldset id="self-manage"><legend>Who can manage MFA devices</legend>
<div class="check"><input type="checkbox" id="self-manage-on" name="self-manage" value="true"${v['self-manage'] === 'true' ? html` checked` : ''}> <label for="self-manage-on">${SELF_MANAGE_LABEL}</label></div>
</fieldset>
<label for="trusted-device-days">Trusted-device lifetime (days)</label><input type="number" id="trusted-device-days" name="trusted-device-days" min="1" max="${MAX_TRUSTED_DEVICE_DAYS}" value="${v['trusted-device-days']}" aria-describedby="trusted-device-days-hint">
<div class="hint" id="trusted-device-days-hint">Context-aware mode: how long a browser stays trusted, 1 to ${MAX_TRUSTED_DEVICE_DAYS} days.</div>
<label for="recovery-codes">Recovery codes per user</label><input type="number" id="recovery-codes" name="recovery-codes" min="0" max="${MAX_RECOVERY_CODES}" value="${v['recovery-codes']}" aria-describedby="recovery-codes-hint">
<div class="hint" id="recovery-codes-hint">0 to ${MAX_RECOVERY_CODES}; 0 turns recovery codes off (beyond AWS: single-use codes that replace a lost MFA device at one sign-in).</div>
${canChange ? html`<button type="submit">Save changes</button>` : html`<p class="hint" id="read-only">You may read these settings but not change them (gatehouse:UpdateAccountMfaSettings).</p>`}`);
}

function settingsPage(r: PageRequest, v: FormValues, o: { canChange: boolean; error?: string | undefined; notice?: string | undefined; updated?: string | undefined }): SafeHtml {
  return P.page({ title: 'Multi-factor authentication', who: r.who, notice: o.notice, error: o.error }, html`
<p>How console sign-in asks for a second factor in this account, on every node from the next sign-in. The same values as <code>gatehouse settings</code> on the server host.</p>
${o.updated ? html`<p class="hint" id="settings-updated">Last changed ${o.updated}.</p>` : ''}
${settingsForm(r.s.session.csrf, v, o.canChange)}
<p class="hint"><a href="/console/account">Back to Account settings</a></p>`);
}

/** The form's fields as `key=value` changes, in the settings' own textual form. */
function changesOf(form: ReadonlyMap<string, string>, all: URLSearchParams): [SettingKey, string][] {
  return [
    ['prompt', form.get('prompt') ?? ''],
    ['allowed-types', all.getAll('allowed-types').join(',')],
    ['without-device', form.get('without-device') ?? ''],
    ['self-manage', form.get('self-manage') === 'true' ? 'true' : 'false'],
    ['trusted-device-days', form.get('trusted-device-days') ?? ''],
    ['recovery-codes', form.get('recovery-codes') ?? ''],
  ];
}

/** A validation message in the page's words: the setting's label, then what it accepts. */
const LABELS: Readonly<Record<SettingKey, string>> = {
  'prompt': 'Prompt users for MFA', 'allowed-types': 'Users can authenticate with these MFA types', 'without-device': 'If a user does not yet have a registered MFA device',
  'self-manage': 'Who can manage MFA devices', 'trusted-device-days': 'Trusted-device lifetime (days)', 'recovery-codes': 'Recovery codes per user',
};
function clearly(message: string): string {
  const key = (Object.keys(LABELS) as SettingKey[]).find((k) => message.startsWith(k)); // LABELS's own keys
  return key ? `${LABELS[key]}: ${message}` : message;
}

function origin(r: PageRequest): { sourceIp: string | undefined; userAgent: string | undefined } {
  const ua = r.req.headers['user-agent'];
  return { sourceIp: r.req.sourceIp, userAgent: Array.isArray(ua) ? ua.join(' ') : ua };
}

async function post(k: Kit, r: PageRequest, deps: { settingsStore: SigninSettingsStore }): Promise<ConsoleAnswer> {
  const accountId = r.s.account.accountId;
  const requested = changesOf(r.form, new URLSearchParams(r.req.body?.toString('utf8') ?? ''));
  const time = new Date();
  const record = (result: Parameters<typeof settingsChangeEvent>[0]['result']): void => {
    k.deps.history?.recorder.record(settingsChangeEvent({ accountId, principal: r.s.principal, origin: origin(r), requested, result, fromConsole: true, time }));
  };
  const allowed = await k.authorizeGatehouse(r.s, r.req, 'UpdateAccountMfaSettings');
  if (!allowed.ok) {
    record({ error: { code: allowed.code, message: allowed.message } });
    return refused(k, r, allowed, { href: MFA_SETTINGS_PATH, label: 'Multi-factor authentication settings' });
  }
  try {
    const changed = await changeSettings(deps, accountId, requested, r.s.principal.arn, time);
    record(changed);
  } catch (e) {
    if (!(e instanceof ServiceError)) throw e;
    record({ error: { code: e.code, message: e.message } });
    const values = Object.fromEntries(requested) as FormValues; // changesOf gives every key once
    return k.respond(400, settingsPage(r, values, { canChange: true, error: clearly(e.message) }));
  }
  return k.redirect(`${MFA_SETTINGS_PATH}?done=mfa-settings`);
}

type ConsoleAnswer = Awaited<ReturnType<Kit['respond']>>;

export const mfaSettingsRoutes: PageRoute = async (k, r) => {
  if (r.path !== MFA_SETTINGS_PATH) return null;
  const deps = { settingsStore: new SigninSettingsStore(k.deps.db) };
  if (r.post) return post(k, r, deps);
  // Read as the other Gatehouse reads are (recorded, readOnly); whether Save shows is asked of the authoriser alone.
  const read = await k.gatehouse(r.s, r.req, 'GetAccountMfaSettings', {}, () => Promise.all([readSettings(deps, r.s.account.accountId), deps.settingsStore.getSettings(r.s.account.accountId)]));
  if (!read.ok) return refused(k, r, read, { href: '/console/account', label: 'Account settings' });
  const canChange = (await k.authorizeGatehouse(r.s, r.req, 'UpdateAccountMfaSettings')).ok;
  const [current, stored] = read.value;
  const updated = stored ? `${stored.updatedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')} by ${stored.updatedBy}` : undefined;
  return k.respond(200, settingsPage(r, settingsAsText(current), { canChange, notice: r.notice, updated }));
};
