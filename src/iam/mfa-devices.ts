// MFA devices: virtual authenticator apps (CreateVirtualMFADevice) and imported hardware TOTP tokens, for IAM
// users and for the root user. The TOTP maths, the throttle policy, the otpauth URI and the QR code are the pure
// functions of src/mfa (where a device's kind picks the strategy its codes are checked with); this module owns the
// rules around them and the one code check everybody uses, verifyMfaCode (STS and the console call it too). Seeds
// are sealed at rest and leave only in the CreateVirtualMFADevice response.
import { observe } from '../observe.js';
import { ServiceError, entityAlreadyExists, deleteConflict, invalidInput, limitExceeded, noSuchEntity, validationError } from '../errors.js';
import {
  generateSeed, normalizeParams, strategyFor, deviceTypeOf, isLocked, isDisabled, afterFailure, afterSuccess, otpauthUri, qrPng, TokenImportError,
} from '../mfa/index.js';
import type { DeviceCodeState, HardwareToken, ImportProblem, MfaStrategy, ThrottleState, TotpParams, VerifyFailure } from '../mfa/index.js';
import { FidoStore } from '../store/fido-store.js';
import { SigninSettingsStore } from '../store/signin-settings-store.js';
import type { IamHandler, IamOperations } from '../aws/handlers.js';
import type { User, VirtualMFADevice } from '../aws/models/iam.generated.js';
import type { IamStore } from '../store/iam-store.js';
import type { EnabledDevice, MfaStore } from '../store/mfa-store.js';
import type { SecretBox } from '../store/secrets.js';
import type { OperationContext, Principal, Tag } from './context.js';
import type { LockMode } from '../store/db.js';
import { unlessTaken } from './conflict.js';
import { arn } from './arn.js';
import { originOf } from './principals.js';
import { pageRequest, pageResult } from './pagination.js';
import { mergeTags, requireUser, nowIso, taggingHandlers } from './common.js';

export const MFA_DEVICES_PER_PRINCIPAL = 8;
export const DEFAULT_ISSUER = 'Gatehouse';
const SERIAL_MAX = 256;

const invalidCode = (): ServiceError => new ServiceError('InvalidAuthenticationCode', 'Authentication code for device is not valid.');
const noDevice = (serial: string): ServiceError => noSuchEntity(`MFA device with serial number ${serial} does not exist.`);
const seedAad = (serial: string): string => `mfa-seed:${serial}`;

// The store's rows, as its queries return them.
type DeviceRow = NonNullable<Awaited<ReturnType<MfaStore['getDevice']>>>;
type VirtualDeviceRow = Awaited<ReturnType<MfaStore['listVirtual']>>[number];
type UserRow = NonNullable<Awaited<ReturnType<IamStore['getUser']>>>;
/** A transaction the store's queries run in (the throttle's row lock needs one). */
type Query = Parameters<MfaStore['lockThrottle']>[3];

/** What the code checks need of a context: the API's, the console's, or one a test or the CLI builds. */
export type MfaContext = Pick<OperationContext, 'db' | 'mfaStore' | 'secrets' | 'account' | 'now' | 'events'>;
/** Enrolment and resync also lock the owner's row. */
export type MfaOwnerContext = MfaContext & Pick<OperationContext, 'store'>;

/** The result of a code check; on failure why (wrong serials and codes are both 'invalid'). */
export type MfaCheckResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: VerifyFailure['reason'] | 'cloned' | 'not-a-code-device' }
  /** Refused unchecked: locked until lockedUntil, or (null) until an administrator lifts the lock. */
  | { readonly ok: false; readonly reason: 'locked'; readonly lockedUntil: Date | null };

// ---------------------------------------------------------------------------------------------------
// Owners: an IAM user or the account's root user.

/** Whose throttle and devices: the principal's type and id. */
export interface OwnerRef { readonly type: 'user' | 'root'; readonly id: string }
export type Owner =
  | { readonly type: 'root'; readonly id: string; readonly name: string; readonly user: null }
  | { readonly type: 'user'; readonly id: string; readonly name: string; readonly user: UserRow };

export function rootOwner(ctx: Pick<OperationContext, 'account'>): Owner {
  return { type: 'root', id: ctx.account.accountId, name: ctx.account.accountId, user: null };
}
export function userOwner(user: UserRow): Owner {
  return { type: 'user', id: user.userId, name: user.name, user };
}

/** The named user, else the caller (an IAM user or root). */
async function ownerFor(ctx: OperationContext, userName: string | undefined): Promise<Owner> {
  if (userName !== undefined) return userOwner(await requireUser(ctx, userName));
  const p = ctx.principal;
  if (p.kind === 'user') return userOwner(await requireUser(ctx, p.userName));
  if (p.kind === 'root') return rootOwner(ctx);
  throw validationError('Must specify userName when calling with non-User credentials');
}

/** Re-reads (and row-locks) the owner inside a transaction so a concurrent DeleteUser cannot interleave. */
export async function lockOwner(ctx: MfaOwnerContext, owner: Owner, tx: Query): Promise<void> {
  if (owner.type === 'user') {
    if (!(await ctx.store.lockUser(owner.id, tx))) throw noSuchEntity(`The user with name ${owner.name} cannot be found.`);
  } else {
    await ctx.store.lockAccount(ctx.account.accountId, tx);
  }
}

// ---------------------------------------------------------------------------------------------------
// The throttle and the code checks

/**
 * Runs one code check for a principal inside a transaction that holds the principal's throttle row:
 * prepare(tx) does the entity checks (and may throw AWS errors, which count nothing) and returns
 * check(), which verifies and spends the code. While the principal is locked check() is not even called.
 * Failures and successes update the throttle state in the same transaction, on every node alike. Every
 * second-factor check shares it: device codes here, recovery codes and emailed codes in src/signin.
 */
export async function underThrottle(
  ctx: MfaContext, owner: OwnerRef, prepare: (tx: Query) => Promise<() => Promise<MfaCheckResult>>,
): Promise<MfaCheckResult> {
  const accountId = ctx.account.accountId;
  const nowMs = ctx.now.getTime();
  const lock: { now: ThrottleState | null } = { now: null };
  const out = await ctx.db.tx(async (tx: Query): Promise<MfaCheckResult> => {
    lock.now = null;
    const state = await ctx.mfaStore.lockThrottle(accountId, owner.type, owner.id, tx);
    const check = await prepare(tx);
    if (isLocked(state, nowMs)) {
      observe({ kind: 'mfa-check', outcome: 'locked' });
      return { ok: false, reason: 'locked', lockedUntil: isDisabled(state) ? null : new Date(state.lockedUntilMs) };
    }
    const result = await check();
    observe({ kind: 'mfa-check', outcome: result.ok ? 'ok' : result.reason === 'replay' ? 'replay' : 'invalid' });
    // A code sent for a device that takes none (a FIDO key's serial to STS) guesses nothing: it counts nothing.
    const next = result.ok ? afterSuccess() : result.reason === 'not-a-code-device' ? state : afterFailure(state, nowMs);
    if (next.failures !== state.failures || next.lockedUntilMs !== state.lockedUntilMs) {
      await ctx.mfaStore.setThrottle(accountId, owner.type, owner.id, next, tx);
      if (isLocked(next, nowMs)) observe({ kind: 'mfa-lock' });
    }
    if (isLocked(next, nowMs)) lock.now = next;
    return result;
  });
  // This failure locked the principal's codes: an event, once the transaction has committed.
  const locked = lock.now;
  if (locked) {
    ctx.events?.mfaLock({ locked: true, accountId, principalType: owner.type, principalId: owner.id, lockedUntil: new Date(locked.lockedUntilMs), failures: locked.failures, time: ctx.now });
  }
  return out;
}

function openSeed(ctx: Pick<MfaContext, 'secrets'>, device: DeviceRow): Buffer {
  return ctx.secrets.open(device.secretEnc, seedAad(device.serialNumber));
}

/** What the device's strategy checks a code against: its seed opened, its parameters and replay state. */
function codeState(ctx: MfaContext, device: DeviceRow, params: TotpParams = paramsOf(device)): DeviceCodeState {
  return { secret: openSeed(ctx, device), params, drift: device.drift, lastStep: device.lastStep };
}

/** A sign-in code for a principal's device. */
export interface MfaCodeCheck {
  readonly serialNumber: string;
  readonly ownerType: OwnerRef['type'];
  readonly ownerId: string;
  readonly code: string;
}

/**
 * The one sign-in code check (STS GetSessionToken with SerialNumber/TokenCode, the console): the device must
 * be assigned to this principal; ±1 step around the device's drift; a code at or before the last accepted
 * step is a replay; the accepted step is recorded with a conditional update, so the same code is accepted
 * once across all nodes sharing the database. Wrong serials, wrong codes and replays all count as failures.
 */
export async function verifyMfaCode(ctx: MfaContext, { serialNumber, ownerType, ownerId, code }: MfaCodeCheck): Promise<MfaCheckResult> {
  const owner: OwnerRef = { type: ownerType, id: ownerId };
  return underThrottle(ctx, owner, async (tx) => {
    const device = await ctx.mfaStore.getDevice(ctx.account.accountId, serialNumber, tx, 'update');
    return async (): Promise<MfaCheckResult> => {
      if (!device || device.ownerType !== ownerType || device.ownerId !== ownerId) return { ok: false, reason: 'invalid' };
      const codes = strategyFor(device.kind);
      if (!codes) return { ok: false, reason: 'not-a-code-device' };
      const r = codes.verifySignIn(codeState(ctx, device), code, ctx.now.getTime());
      if (!r.ok) return r;
      const changed = await ctx.mfaStore.spendStep(device.serialNumber, r.step, r.drift, tx);
      return changed === 1 ? { ok: true } : { ok: false, reason: 'replay' };
    };
  });
}

/** The code checks of a device that takes codes; a FIDO device is refused with AWS's kind of error, counting nothing. */
function codeStrategy(device: DeviceRow): MfaStrategy {
  const codes = strategyFor(device.kind);
  if (!codes) throw invalidInput(`MFA device ${device.serialNumber} is a passkey or security key: it takes no authentication codes (only TOTP devices are enabled or resynchronised with codes).`);
  return codes;
}

function paramsOf(device: DeviceRow): TotpParams {
  return normalizeParams(device.params); // parsed and checked by the store; normalised as when it was written
}

/** Enable a device for an owner with two consecutive codes (EnableMFADevice, and the console for root). */
export async function enableDevice(ctx: MfaOwnerContext, owner: Owner, serialNumber: string, code1: string, code2: string): Promise<void> {
  const accountId = ctx.account.accountId;
  const result = await underThrottle(ctx, owner, async (tx) => {
    await lockOwner(ctx, owner, tx);
    const device = await ctx.mfaStore.getDevice(accountId, serialNumber, tx, 'update');
    if (!device) throw noDevice(serialNumber);
    if (device.ownerType) throw entityAlreadyExists(`MFA device with serial number ${serialNumber} is already in use.`);
    const codes = codeStrategy(device);
    const params = paramsOf(device);
    if (params.digits !== 6) throw invalidInput(`MFA device ${serialNumber} shows ${params.digits}-digit codes; the AWS API carries 6-digit codes only.`);
    if (await ctx.mfaStore.countForOwner(accountId, owner.type, owner.id, tx) >= MFA_DEVICES_PER_PRINCIPAL) {
      throw limitExceeded(`Cannot exceed quota for MFADevicesPerUser: ${MFA_DEVICES_PER_PRINCIPAL}`);
    }
    return async (): Promise<MfaCheckResult> => {
      const r = codes.verifyPair(codeState(ctx, device, params), code1, code2, ctx.now.getTime(), 'enable');
      if (!r.ok) return r;
      const changed = await ctx.mfaStore.assign(serialNumber, owner.type, owner.id, nowIso(ctx), r.step, r.drift, tx);
      return changed === 1 ? { ok: true } : { ok: false, reason: 'replay' };
    };
  });
  if (!result.ok) throw invalidCode();
}

/** Re-anchor an assigned device's clock with two consecutive codes from up to 10 minutes either way. */
export async function resyncDevice(ctx: MfaContext, owner: Owner, serialNumber: string, code1: string, code2: string): Promise<void> {
  const result = await underThrottle(ctx, owner, async (tx) => {
    const device = await requireOwnedDevice(ctx, owner, serialNumber, tx);
    const codes = codeStrategy(device);
    return async (): Promise<MfaCheckResult> => {
      const params = paramsOf(device);
      const r = codes.verifyPair(codeState(ctx, device, params), code1, code2, ctx.now.getTime(), 'resync');
      if (!r.ok) return r;
      const changed = await ctx.mfaStore.spendStep(serialNumber, r.step, r.drift, tx);
      return changed === 1 ? { ok: true } : { ok: false, reason: 'replay' };
    };
  });
  if (!result.ok) throw invalidCode();
}

/** Remove a device from its owner: a virtual one stays Unassigned, a hardware token returns to the inventory. */
export async function deactivateDevice(ctx: MfaContext & { readonly principal?: Principal | undefined }, owner: Owner, serialNumber: string): Promise<void> {
  const p = ctx.principal;
  // Whose request this is, through any role chain: a principal must never lift its own lock, neither with its own
  // keys nor through a role it assumed (a role session's origin is recorded when it is issued). An unknown origin
  // (a role session older than that record) counts as the owner's own: no reset.
  const origin = p ? originOf(p) : undefined;
  const ownersOwn = Boolean(p) && (!origin || (origin.type === owner.type && origin.id === owner.id));
  let lifted = false;
  await ctx.db.tx(async (tx: Query) => {
    // The owner's throttle row before the device row, the order every code check takes them in (a device-first
    // order here deadlocked against a concurrent GetSessionToken; docs/concurrency.md has the global order).
    await ctx.mfaStore.lockThrottle(ctx.account.accountId, owner.type, owner.id, tx);
    const device = await requireOwnedDevice(ctx, owner, serialNumber, tx);
    // A virtual device stays (unassigned), a hardware token returns to the inventory, a FIDO device is deleted.
    if (deviceTypeOf(device.kind).onDeactivate === 'delete') await new FidoStore(ctx.db).delete(serialNumber, tx);
    else await ctx.mfaStore.unassign(serialNumber, tx);
    // Removing any of the owner's devices forgets all the owner's trusted devices (context-aware sign-in).
    await new SigninSettingsStore(ctx.db).deleteTrustedDevices({ accountId: ctx.account.accountId, type: owner.type, id: owner.id }, tx);
    // The lost-phone path: an administrator who removes someone's device also lifts that person's code lock
    // (including the hard stop after MAX_CONSECUTIVE_FAILURES), so they can enrol again. The owner removing
    // their own device, directly or through a role, does not reset their own counter.
    if (!ownersOwn) {
      const before = await ctx.mfaStore.lockThrottle(ctx.account.accountId, owner.type, owner.id, tx);
      await ctx.mfaStore.setThrottle(ctx.account.accountId, owner.type, owner.id, afterSuccess(), tx);
      lifted = isLocked(before, ctx.now.getTime());
    }
  });
  if (lifted) ctx.events?.mfaLock({ locked: false, accountId: ctx.account.accountId, principalType: owner.type, principalId: owner.id, by: p, time: ctx.now });
}

/** Root user: what the console calls to enrol and remove the root's devices. */
export const enableRootMfaDevice = (ctx: MfaOwnerContext, serialNumber: string, code1: string, code2: string): Promise<void> =>
  enableDevice(ctx, rootOwner(ctx), serialNumber, code1, code2);
export const deactivateRootMfaDevice = (ctx: MfaContext & { readonly principal?: Principal | undefined }, serialNumber: string): Promise<void> =>
  deactivateDevice(ctx, rootOwner(ctx), serialNumber);
export const resyncRootMfaDevice = (ctx: MfaContext, serialNumber: string, code1: string, code2: string): Promise<void> =>
  resyncDevice(ctx, rootOwner(ctx), serialNumber, code1, code2);

/** An administrator's reset of a principal's throttle (after MAX_CONSECUTIVE_FAILURES it stays locked). */
export async function resetMfaThrottle(ctx: MfaContext & { readonly principal?: Principal | undefined }, ownerType: OwnerRef['type'], ownerId: string): Promise<void> {
  const wasLocked = await ctx.db.tx(async (tx: Query) => {
    const before = await ctx.mfaStore.lockThrottle(ctx.account.accountId, ownerType, ownerId, tx);
    await ctx.mfaStore.setThrottle(ctx.account.accountId, ownerType, ownerId, afterSuccess(), tx);
    return isLocked(before, ctx.now.getTime());
  });
  if (wasLocked) ctx.events?.mfaLock({ locked: false, accountId: ctx.account.accountId, principalType: ownerType, principalId: ownerId, by: ctx.principal, time: ctx.now });
  observe({ kind: 'mfa-unlock' });
}

async function requireOwnedDevice(ctx: MfaContext, owner: Owner, serialNumber: string, tx: Query): Promise<DeviceRow> {
  const device = await ctx.mfaStore.getDevice(ctx.account.accountId, serialNumber, tx, 'update');
  if (!device || device.ownerType !== owner.type || device.ownerId !== owner.id) {
    throw noSuchEntity(`MFA device with serial number ${serialNumber} is not assigned to ${owner.type === 'root' ? 'the root user' : `user ${owner.name}`}.`);
  }
  return device;
}

// ---------------------------------------------------------------------------------------------------
// Hardware-token inventory (gatehouse hardware-tokens import)

/** Where the CLI imports tokens into: an account's inventory. */
export interface TokenInventory {
  readonly db: OperationContext['db'];
  readonly mfaStore: MfaStore;
  readonly secrets: SecretBox;
  readonly accountId: string;
  readonly now?: Date | undefined;
}

/**
 * Adds tokens (from parseCsv / importPskc) to an account's inventory, all or nothing. Throws one TokenImportError
 * listing every 8-digit token and every serial already known (the parsers report the file's own problems).
 */
export async function importHardwareTokens({ db, mfaStore, secrets, accountId, now = new Date() }: TokenInventory, tokens: readonly HardwareToken[]): Promise<number> {
  const problems: ImportProblem[] = [];
  for (const t of tokens) {
    if (normalizeParams(t.params).digits !== 6) {
      problems.push({ code: 'UNSUPPORTED_DIGITS', serialNumber: t.serialNumber, message: `token ${t.serialNumber} shows ${t.params.digits}-digit codes; AWS clients send 6-digit codes only, so it could never be used` });
    }
  }
  const when = now.toISOString();
  await db.tx(async (tx: Query) => {
    // Every problem of the file at once: unusable tokens and serials already known, in one report.
    const known: string[] = await mfaStore.existingSerials(tokens.map((t) => t.serialNumber), tx);
    for (const s of known) problems.push({ code: 'DUPLICATE_SERIAL', serialNumber: s, message: `serial number ${s} is already in the inventory` });
    if (problems.length) throw new TokenImportError(problems);
    for (const t of tokens) {
      await mfaStore.insertDevice({
        serialNumber: t.serialNumber,
        accountId,
        kind: 'hardware',
        secretEnc: secrets.seal(t.secret, seedAad(t.serialNumber)),
        params: normalizeParams(t.params),
        createdAt: when,
      }, tx);
    }
  });
  return tokens.length;
}

/**
 * Removes a hardware token from the inventory (gatehouse hardware-tokens remove): only one that is not assigned
 * (deactivate it first: its owner would lose their second factor). Its sealed seed goes with the row.
 */
export async function removeHardwareToken({ db, mfaStore, accountId }: Pick<TokenInventory, 'db' | 'mfaStore' | 'accountId'>, serialNumber: string): Promise<void> {
  await db.tx(async (tx: Query) => {
    const device = await mfaStore.getDevice(accountId, serialNumber, tx, 'update');
    if (!device || device.kind !== 'hardware') throw noSuchEntity(`No hardware token with serial number ${serialNumber} in the inventory.`);
    if (device.ownerType) {
      throw deleteConflict(`Hardware token ${serialNumber} is assigned to ${device.ownerType === 'root' ? 'the root user' : 'an IAM user'}; deactivate it first (aws iam deactivate-mfa-device).`);
    }
    await mfaStore.deleteDevice(serialNumber, tx);
  });
}

// ---------------------------------------------------------------------------------------------------
// Shapes

/** A column the query guarantees for this row (a join on the owner, an assigned device's enable date). */
function present<T>(value: T | null, column: string): T {
  if (value === null) throw new Error(`stored MFA device row without ${column}`);
  return value;
}

// An assigned device always has its enabled_at (EnableMFADevice sets it with the owner).
function virtualDeviceShape(ctx: OperationContext, d: VirtualDeviceRow): VirtualMFADevice {
  const out: VirtualMFADevice = { SerialNumber: d.serialNumber };
  if (d.ownerType === 'user') {
    const path = present(d.userPath, 'user_path');
    const name = present(d.userName, 'user_name');
    const user: User = {
      Path: path,
      UserName: name,
      UserId: present(d.ownerId, 'owner_id'),
      Arn: arn.user(ctx.account.accountId, path, name),
      CreateDate: new Date(present(d.userCreatedAt, 'user_created_at')),
    };
    if (d.userPasswordLastUsed) user.PasswordLastUsed = new Date(d.userPasswordLastUsed);
    out.User = user;
  } else if (d.ownerType === 'root') {
    // As AWS shows the root user here: its id is the account id; no name or path (which the model requires).
    out.User = { UserId: ctx.account.accountId, Arn: arn.root(ctx.account.accountId), CreateDate: new Date(ctx.account.createdAt) } as User;
  }
  if (d.enabledAt) out.EnableDate = new Date(d.enabledAt);
  return out;
}

async function requireVirtualDevice(ctx: OperationContext, serialNumber: string, q?: Query, lock?: LockMode): Promise<DeviceRow> {
  const d = await ctx.mfaStore.getDevice(ctx.account.accountId, serialNumber, q, lock);
  if (!d || d.kind !== 'virtual') throw noSuchEntity(`VirtualMFADevice with serial number ${serialNumber} does not exist.`);
  return d;
}

// ---------------------------------------------------------------------------------------------------
// Handlers

const deviceTags = taggingHandlers({
  load: (ctx: OperationContext, input: { SerialNumber: string }, q?: Query, lock?: LockMode) => requireVirtualDevice(ctx, input.SerialNumber, q, lock),
  save: (ctx: OperationContext, d: DeviceRow, tags: readonly Tag[], q: Query) => ctx.mfaStore.setTags(d.serialNumber, tags, q),
});

type IamHandlers = { [K in keyof IamOperations]: IamHandler<K, OperationContext> };

export const handlers = {
  async CreateVirtualMFADevice(ctx, input) {
    const accountId = ctx.account.accountId;
    const path = input.Path ?? '/';
    const serial = arn.mfa(accountId, path, input.VirtualMFADeviceName);
    if (serial.length > SERIAL_MAX) {
      throw invalidInput(`The serial number ${serial} would be longer than ${SERIAL_MAX} characters: use a shorter path or name.`);
    }
    const tags = mergeTags([], input.Tags ?? []);
    const seed = generateSeed();
    const row = {
      serialNumber: serial,
      accountId,
      kind: 'virtual' as const,
      name: input.VirtualMFADeviceName,
      path,
      secretEnc: ctx.secrets.seal(seed.secret, seedAad(serial)),
      params: normalizeParams(undefined),
      tags,
      createdAt: nowIso(ctx),
    };
    await unlessTaken('MFADevice entity at the same path and name already exists.', () => ctx.mfaStore.insertDevice(row));
    const uri = otpauthUri({
      issuer: ctx.config?.mfaIssuer || DEFAULT_ISSUER,
      accountName: `${input.VirtualMFADeviceName}@${ctx.account.alias ?? accountId}`,
      secretBase32: seed.base32,
    });
    const device: VirtualMFADevice = {
      SerialNumber: serial,
      // On the wire: base64 of the base32 text, as AWS sends it (the serialiser base64-encodes Buffers).
      Base32StringSeed: Buffer.from(seed.base32, 'ascii'),
      QRCodePNG: await qrPng(uri),
    };
    if (tags.length) device.Tags = tags;
    return { VirtualMFADevice: device };
  },

  async EnableMFADevice(ctx, input) {
    const owner = await ownerFor(ctx, input.UserName);
    await enableDevice(ctx, owner, input.SerialNumber, input.AuthenticationCode1, input.AuthenticationCode2);
    return {};
  },

  async ResyncMFADevice(ctx, input) {
    const owner = await ownerFor(ctx, input.UserName);
    await resyncDevice(ctx, owner, input.SerialNumber, input.AuthenticationCode1, input.AuthenticationCode2);
    return {};
  },

  async DeactivateMFADevice(ctx, input) {
    const owner = await ownerFor(ctx, input.UserName);
    await deactivateDevice(ctx, owner, input.SerialNumber);
    return {};
  },

  async DeleteVirtualMFADevice(ctx, input) {
    await ctx.db.tx(async (tx: Query) => {
      const d = await requireVirtualDevice(ctx, input.SerialNumber, tx, 'update');
      if (d.ownerType) throw deleteConflict('MFA device is still in use: deactivate it (DeactivateMFADevice) before deleting it.');
      await ctx.mfaStore.deleteDevice(d.serialNumber, tx);
    });
    return {};
  },

  async ListMFADevices(ctx, input) {
    // One statement: the named user (or the calling IAM user, by name) read with its devices, or the root user's.
    const page = pageRequest(input);
    const p = ctx.principal;
    const userName = input.UserName ?? (p.kind === 'user' ? p.userName : undefined);
    if (userName === undefined && p.kind !== 'root') throw validationError('Must specify userName when calling with non-User credentials');
    let owner: string;
    let devices: EnabledDevice[];
    if (userName === undefined) {
      owner = ctx.account.accountId;
      devices = await ctx.mfaStore.listEnabledForRoot(ctx.account.accountId, page);
    } else {
      const found = await ctx.mfaStore.listEnabledForUserName(ctx.account.accountId, userName, page);
      if (!found) throw noSuchEntity(`The user with name ${userName} cannot be found.`);
      owner = found.user.name;
      devices = found.devices;
    }
    const { items, ...rest } = pageResult(devices, page, (d: EnabledDevice) => d.serialNumber);
    return { MFADevices: items.map((d) => ({ UserName: owner, SerialNumber: d.serialNumber, EnableDate: new Date(present(d.enabledAt, 'enabled_at')) })), ...rest };
  },

  async ListVirtualMFADevices(ctx, input) {
    const page = pageRequest(input);
    const rows: VirtualDeviceRow[] = await ctx.mfaStore.listVirtual(ctx.account.accountId, input.AssignmentStatus ?? 'Any', page);
    const { items, ...rest } = pageResult(rows, page, (d: VirtualDeviceRow) => d.serialNumber);
    return { VirtualMFADevices: items.map((d: VirtualDeviceRow) => virtualDeviceShape(ctx, d)), ...rest };
  },

  async GetMFADevice(ctx, input) {
    const owner = await ownerFor(ctx, input.UserName);
    const d = await ctx.mfaStore.getDevice(ctx.account.accountId, input.SerialNumber);
    if (!d || d.ownerType !== owner.type || d.ownerId !== owner.id) {
      throw noSuchEntity(`MFA device with serial number ${input.SerialNumber} is not assigned to ${owner.type === 'root' ? 'the root user' : `user ${owner.name}`}.`);
    }
    // AWS: "For this API, we only accept FIDO security key ARNs" (its only modeled error is NoSuchEntity).
    if (d.kind !== 'fido') throw noSuchEntity(`MFA device with serial number ${input.SerialNumber} is not a FIDO security key: GetMFADevice accepts FIDO security key ARNs only.`);
    // Certifications come from the FIDO Metadata Service on AWS; Gatehouse keeps no metadata, so none are shown.
    return { UserName: owner.name, SerialNumber: d.serialNumber, EnableDate: new Date(present(d.enabledAt, 'enabled_at')) };
  },

  TagMFADevice: deviceTags.tag,
  UntagMFADevice: deviceTags.untag,
  ListMFADeviceTags: deviceTags.list,
} satisfies Partial<IamHandlers>;
