// The account's MFA settings for console sign-in, modelled on IAM Identity Center's "Configure multi-factor
// authentication" page: when to prompt, which MFA types users may use, what a user without a
// device must do, whether users manage their own devices, the trusted-device lifetime and how many recovery codes
// a user gets. The console's Account settings page and `gatehouse settings` read and write the same stored value;
// sign-in reads it at every sign-in, on every node (no cache), so a change applies to the next sign-in everywhere
// (src/console/signin-flow.ts; docs/sign-in.md).
// Changing it is an authorised action of its own: gatehouse:UpdateAccountMfaSettings (reading:
// gatehouse:GetAccountMfaSettings), on no resource ('*'); each change is an event in the history (docs/sign-in.md).
import { validationError } from '../errors.js';
import type { SigninSettingsStore } from '../store/signin-settings-store.js';
import { gatehouseActionEvent } from '../events/records.js';
import type { EventEntry, RequestOrigin } from '../events/records.js';
import type { Principal } from '../iam/context.js';

/** When sign-in asks for MFA (Identity Center: "Prompt users for MFA"). Root is always asked when it has a device. */
export const PROMPTS = ['every-sign-in', 'context-aware', 'never'] as const;
export type MfaPrompt = (typeof PROMPTS)[number];

/** MFA types users may enrol and use in the console: FIDO (security keys and built-in authenticators) and TOTP. */
export const MFA_TYPES = ['webauthn', 'totp'] as const;
export type MfaType = (typeof MFA_TYPES)[number];

/** What a user without a registered device must do at sign-in (Identity Center's four choices). */
export const WITHOUT_DEVICE = ['require-registration', 'email-otp', 'block', 'allow'] as const;
export type WithoutDevice = (typeof WITHOUT_DEVICE)[number];

export interface MfaSettings {
  readonly prompt: MfaPrompt;
  readonly allowedTypes: readonly MfaType[];
  readonly withoutDevice: WithoutDevice;
  /** "Users can add and manage their own MFA devices". */
  readonly selfManage: boolean;
  /** Context-aware mode: how long a trusted device is remembered, 1 to 90 days. */
  readonly trustedDeviceDays: number;
  /** How many recovery codes a user gets; 0 turns them off. */
  readonly recoveryCodes: number;
}

export const DEFAULT_SETTINGS: MfaSettings = Object.freeze({
  prompt: 'every-sign-in',
  allowedTypes: Object.freeze(['webauthn', 'totp'] as const),
  withoutDevice: 'require-registration',
  selfManage: true,
  trustedDeviceDays: 30,
  recoveryCodes: 10,
});

export const MAX_TRUSTED_DEVICE_DAYS = 90;
export const MAX_RECOVERY_CODES = 20;

/** The actions that read and change the settings, for policies. */
export const GET_SETTINGS_ACTION = 'gatehouse:GetAccountMfaSettings';
export const UPDATE_SETTINGS_ACTION = 'gatehouse:UpdateAccountMfaSettings';

/** The settings' names as the command line and the console's form spell them, with what each accepts. */
export const SETTING_KEYS = {
  'prompt': PROMPTS.join(' | '),
  'allowed-types': 'comma-separated: webauthn, totp (at least one)',
  'without-device': WITHOUT_DEVICE.join(' | '),
  'self-manage': 'true | false',
  'trusted-device-days': `1 to ${MAX_TRUSTED_DEVICE_DAYS}`,
  'recovery-codes': `0 to ${MAX_RECOVERY_CODES} (0 turns recovery codes off)`,
} as const;
export type SettingKey = keyof typeof SETTING_KEYS;

const invalid = validationError;

const isOneOf = <T extends string>(list: readonly T[], v: unknown): v is T => typeof v === 'string' && (list as readonly string[]).includes(v);

function integer(key: SettingKey, text: string, min: number, max: number): number {
  if (!/^\d{1,3}$/.test(text.trim())) throw invalid(`${key} must be a whole number from ${min} to ${max}; got '${text}'.`);
  const n = Number(text.trim());
  if (n < min || n > max) throw invalid(`${key} must be from ${min} to ${max}; got ${n}.`);
  return n;
}

/** One setting changed from its textual form (command line `key=value`, or a console form field). */
export function withSetting(base: MfaSettings, key: string, value: string): MfaSettings {
  const v = value.trim();
  switch (key) {
    case 'prompt':
      if (!isOneOf(PROMPTS, v)) throw invalid(`prompt must be one of ${PROMPTS.join(', ')}; got '${value}'.`);
      return { ...base, prompt: v };
    case 'allowed-types': {
      const types = v.split(',').map((t) => t.trim()).filter(Boolean);
      const bad = types.filter((t) => !isOneOf(MFA_TYPES, t));
      if (bad.length) throw invalid(`allowed-types accepts ${MFA_TYPES.join(', ')}; got '${bad.join(', ')}'.`);
      const allowed = MFA_TYPES.filter((t) => types.includes(t));
      if (!allowed.length) throw invalid('allowed-types must allow at least one MFA type.');
      return { ...base, allowedTypes: allowed };
    }
    case 'without-device':
      if (!isOneOf(WITHOUT_DEVICE, v)) throw invalid(`without-device must be one of ${WITHOUT_DEVICE.join(', ')}; got '${value}'.`);
      return { ...base, withoutDevice: v };
    case 'self-manage':
      if (v !== 'true' && v !== 'false') throw invalid(`self-manage must be true or false; got '${value}'.`);
      return { ...base, selfManage: v === 'true' };
    case 'trusted-device-days':
      return { ...base, trustedDeviceDays: integer(key, v, 1, MAX_TRUSTED_DEVICE_DAYS) };
    case 'recovery-codes':
      return { ...base, recoveryCodes: integer(key, v, 0, MAX_RECOVERY_CODES) };
    default:
      throw invalid(`unknown setting '${key}': the settings are ${Object.keys(SETTING_KEYS).join(', ')}.`);
  }
}

/** The settings as the command line and the console show them, keyed by the names withSetting accepts. */
export function settingsAsText(s: MfaSettings): Record<SettingKey, string> {
  return {
    'prompt': s.prompt,
    'allowed-types': s.allowedTypes.join(','),
    'without-device': s.withoutDevice,
    'self-manage': String(s.selfManage),
    'trusted-device-days': String(s.trustedDeviceDays),
    'recovery-codes': String(s.recoveryCodes),
  };
}

/**
 * A stored document read back: every field checked, anything missing or unreadable taken from the defaults (a
 * document written by a later version with more fields still reads).
 */
export function settingsFromStored(doc: unknown): MfaSettings {
  if (typeof doc !== 'object' || doc === null) return DEFAULT_SETTINGS;
  const d = new Map(Object.entries(doc));
  const num = (k: string, min: number, max: number, dflt: number): number => {
    const v = d.get(k);
    return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : dflt;
  };
  const types = d.get('allowedTypes');
  const allowed = Array.isArray(types) ? MFA_TYPES.filter((t) => types.includes(t)) : [];
  const prompt = d.get('prompt');
  const withoutDevice = d.get('withoutDevice');
  const selfManage = d.get('selfManage');
  return {
    prompt: isOneOf(PROMPTS, prompt) ? prompt : DEFAULT_SETTINGS.prompt,
    allowedTypes: allowed.length ? allowed : DEFAULT_SETTINGS.allowedTypes,
    withoutDevice: isOneOf(WITHOUT_DEVICE, withoutDevice) ? withoutDevice : DEFAULT_SETTINGS.withoutDevice,
    selfManage: typeof selfManage === 'boolean' ? selfManage : DEFAULT_SETTINGS.selfManage,
    trustedDeviceDays: num('trustedDeviceDays', 1, MAX_TRUSTED_DEVICE_DAYS, DEFAULT_SETTINGS.trustedDeviceDays),
    recoveryCodes: num('recoveryCodes', 0, MAX_RECOVERY_CODES, DEFAULT_SETTINGS.recoveryCodes),
  };
}

export interface SettingsDeps { readonly settingsStore: SigninSettingsStore }

/** The account's settings as stored now (defaults when never set). */
export async function readSettings(deps: SettingsDeps, accountId: string): Promise<MfaSettings> {
  const stored = await deps.settingsStore.getSettings(accountId);
  return stored ? settingsFromStored(stored.settings) : DEFAULT_SETTINGS;
}

/** Applies `key=value` changes (all checked before any is stored) and stores the result; returns it. */
export async function updateSettings(
  deps: SettingsDeps, accountId: string, changes: readonly (readonly [string, string])[], by: string, now: Date,
): Promise<MfaSettings> {
  return (await changeSettings(deps, accountId, changes, by, now)).after;
}

/** updateSettings, also returning the settings as they were before (what the change's event records). */
export async function changeSettings(
  deps: SettingsDeps, accountId: string, changes: readonly (readonly [string, string])[], by: string, now: Date,
): Promise<{ before: MfaSettings; after: MfaSettings }> {
  const before = await readSettings(deps, accountId);
  let after = before;
  for (const [k, v] of changes) after = withSetting(after, k, v);
  await deps.settingsStore.putSettings(accountId, after, now.toISOString(), by);
  return { before, after };
}

/**
 * What a change changed, for its event: the settings whose value differs, as the command line spells them, with
 * their new values and their previous ones (the event history's requestParameters of UpdateAccountMfaSettings).
 */
export function settingsDiff(before: MfaSettings, after: MfaSettings): { changed: Partial<Record<SettingKey, string>>; previous: Partial<Record<SettingKey, string>> } {
  const b = settingsAsText(before);
  const a = settingsAsText(after);
  const changed: Partial<Record<SettingKey, string>> = {};
  const previous: Partial<Record<SettingKey, string>> = {};
  for (const key of Object.keys(SETTING_KEYS) as SettingKey[]) { // SETTING_KEYS's own keys
    if (a[key] !== b[key]) { changed[key] = a[key]; previous[key] = b[key]; }
  }
  return { changed, previous };
}

/** Is a device of this kind usable and enrollable in the console under these settings? */
export function typeAllowed(settings: MfaSettings, deviceKind: string): boolean {
  // TOTP devices are the virtual and hardware kinds; every other kind is a FIDO authenticator.
  const type: MfaType = deviceKind === 'virtual' || deviceKind === 'hardware' ? 'totp' : 'webauthn';
  return settings.allowedTypes.includes(type);
}

/** A settings change (or a refused one) as an event: who, what changed from what, or the error and what was asked. */
export function settingsChangeEvent(c: {
  readonly accountId: string;
  /** null: `gatehouse settings set` on the server host. */
  readonly principal: Principal | null;
  readonly origin: RequestOrigin;
  readonly requested: readonly (readonly [string, string])[];
  readonly result: { readonly before: MfaSettings; readonly after: MfaSettings } | { readonly error: { readonly code: string; readonly message: string } };
  readonly fromConsole: boolean;
  readonly time: Date;
}): EventEntry {
  const done = 'after' in c.result ? settingsDiff(c.result.before, c.result.after) : null;
  return gatehouseActionEvent({
    action: 'UpdateAccountMfaSettings', accountId: c.accountId, principal: c.principal, ...c.origin,
    // The settings hold no secret: the values go into the record as given (a refused value too, cut short).
    requestParameters: done ? { changed: done.changed, previous: done.previous } : { requested: Object.fromEntries(c.requested.map(([k, v]) => [k.slice(0, 64), v.slice(0, 256)])) },
    responseElements: done ? { settings: settingsAsText('after' in c.result ? c.result.after : DEFAULT_SETTINGS) } : null,
    readOnly: false, error: 'error' in c.result ? c.result.error : undefined, fromConsole: c.fromConsole, time: c.time,
  });
}
