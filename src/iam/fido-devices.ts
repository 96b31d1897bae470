// FIDO devices (passkeys and security keys) as MFA devices of IAM users and the root user: enrolment from a
// verified WebAuthn registration, and the sign-in check of an assertion. They are mfa_devices rows like the others
// (ListMFADevices, GetMFADevice, DeactivateMFADevice, the 8-device limit, the credential report and the account
// summary see them), with their serial in AWS's form arn:aws:iam::ACCOUNT:u2f/user/USER/NAME-SUFFIX. The assertion
// check runs under the same per-principal throttle as every code check (underThrottle), and a signature counter that
// does not move forward (a cloned authenticator) is refused and recorded.
import { invalidInput, limitExceeded } from '../errors.js';
import { normalizeParams } from '../mfa/index.js';
import { assertionCredentialId, counterWentBackwards, verifyAssertion } from '../mfa/webauthn.js';
import type { CredentialRef, RegisteredCredential, RelyingParty } from '../mfa/webauthn.js';
import { FidoStore } from '../store/fido-store.js';
import { arn } from './arn.js';
import { unlessTaken } from './conflict.js';
import { MFA_DEVICES_PER_PRINCIPAL, lockOwner, underThrottle } from './mfa-devices.js';
import type { MfaCheckResult, MfaContext, MfaOwnerContext, Owner, OwnerRef } from './mfa-devices.js';

/** A FIDO device's name: AWS's console allows letters, digits and +=,.@_- (the serial carries it). */
export const FIDO_NAME_RE = /^[\w+=,.@-]{1,64}$/;

const keyAad = (serial: string): string => `fido-key:${serial}`;

/** The credentials a principal has, for the ceremony's exclude list (registration) or allow list (sign-in). */
export async function fidoCredentialsOf(ctx: Pick<MfaContext, 'db' | 'account'>, owner: OwnerRef): Promise<CredentialRef[]> {
  const rows = await new FidoStore(ctx.db).listForOwner(ctx.account.accountId, owner.type, owner.id);
  return rows.map((c) => ({ id: c.credentialId, transports: c.transports }));
}

/**
 * Enrols a verified credential as the owner's MFA device, assigned at once (a FIDO device has no unassigned
 * state): within the owner's 8 devices, under the owner's row lock as EnableMFADevice. Returns the serial number.
 */
export async function enableFidoDevice(ctx: MfaOwnerContext, owner: Owner, name: string, credential: RegisteredCredential): Promise<string> {
  if (!FIDO_NAME_RE.test(name)) throw invalidInput('The device name must be 1 to 64 letters, digits or +=,.@_- characters.');
  const accountId = ctx.account.accountId;
  const serial = arn.u2f(accountId, owner.type === 'root' ? { type: 'root' } : { type: 'user', name: owner.name }, name);
  const fido = new FidoStore(ctx.db);
  await unlessTaken('This passkey or security key is already registered.', () => ctx.db.tx(async (tx) => {
    await lockOwner(ctx, owner, tx);
    if (await ctx.mfaStore.countForOwner(accountId, owner.type, owner.id, tx) >= MFA_DEVICES_PER_PRINCIPAL) {
      throw limitExceeded(`Cannot exceed quota for MFADevicesPerUser: ${MFA_DEVICES_PER_PRINCIPAL}`);
    }
    await fido.insert({
      serialNumber: serial, accountId, name, ownerType: owner.type, ownerId: owner.id,
      publicKeyEnc: ctx.secrets.seal(Buffer.from(credential.publicKey), keyAad(serial)),
      paramsJson: JSON.stringify(normalizeParams(undefined)), // unused: the column is NOT NULL and rows parse as one shape
      credentialId: credential.id, signCount: credential.counter, transports: credential.transports,
      aaguid: credential.aaguid, deviceType: credential.deviceType, backedUp: credential.backedUp, at: ctx.now.toISOString(),
    }, tx);
  }));
  return serial;
}

/** A cloned key, as recorded: which device and the two counters (nothing secret). */
export interface ClonedKey { readonly serialNumber: string; readonly storedCounter: number; readonly receivedCounter: number }

export type FidoCheckResult = { readonly ok: true; readonly serialNumber: string } | { readonly ok: false; readonly reason: Exclude<MfaCheckResult, { ok: true }>['reason']; readonly cloned?: ClonedKey };

/**
 * The sign-in check of a WebAuthn assertion for a principal: the credential must be one of the principal's, the
 * signature, challenge, origin and RP id must verify, and the signature counter must move forward. A counter that
 * does not is a cloned authenticator: refused, counted as a failure, and recorded on the device (cloned_at). The
 * new counter is written by a conditional update, so the same assertion is accepted once across all nodes.
 */
export async function verifyFidoAssertion(ctx: MfaContext, owner: OwnerRef, rp: RelyingParty, responseText: string, expectedChallenge: string): Promise<FidoCheckResult> {
  const fido = new FidoStore(ctx.db);
  const credentialId = assertionCredentialId(responseText);
  let serialNumber = '';
  let cloned: ClonedKey | undefined;
  const r = await underThrottle(ctx, owner, async (tx) => {
    const cred = credentialId ? await fido.getByCredentialId(ctx.account.accountId, credentialId, tx, 'update') : undefined;
    return async (): Promise<MfaCheckResult> => {
      if (!cred || cred.device.ownerType !== owner.type || cred.device.ownerId !== owner.id) return { ok: false, reason: 'invalid' };
      const publicKey = ctx.secrets.open(cred.device.secretEnc, keyAad(cred.device.serialNumber));
      const a = await verifyAssertion(rp, responseText, expectedChallenge, { id: cred.credentialId, publicKey, transports: cred.transports });
      if (!a.ok) return { ok: false, reason: 'invalid' };
      const at = ctx.now.toISOString();
      if (counterWentBackwards(cred.signCount, a.value.counter)) {
        cloned = { serialNumber: cred.device.serialNumber, storedCounter: cred.signCount, receivedCounter: a.value.counter };
        await fido.markCloned(cred.device.serialNumber, at, tx);
        return { ok: false, reason: 'cloned' };
      }
      if (await fido.advanceCounter(cred.device.serialNumber, a.value.counter, at, tx) !== 1) return { ok: false, reason: 'replay' };
      serialNumber = cred.device.serialNumber;
      return { ok: true };
    };
  });
  if (r.ok) return { ok: true, serialNumber };
  return cloned ? { ok: false, reason: r.reason, cloned } : { ok: false, reason: r.reason };
}
