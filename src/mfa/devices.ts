// Each kind of MFA device behind one interface (Kratos's strategies). The rest of the system sees every device the
// same way: it is listed, counted (8 per principal), reported and removed alike; what differs is how it is enrolled
// and how a sign-in proves it. TOTP devices (a virtual authenticator app, whose seed is generated and shown once; a
// hardware token, whose seed is imported from its vendor's file) check codes through a CodeStrategy. A FIDO device
// (passkey or security key) proves itself with a WebAuthn assertion (./webauthn.ts) and takes no codes, so STS's
// SerialNumber/TokenCode cannot use it, as on AWS.
import { verifyCode, verifyConsecutive, stepsForSeconds, ENABLE_WINDOW_SECONDS, RESYNC_WINDOW_SECONDS } from './totp.js';
import type { TotpParams, VerifyResult } from './totp.js';

export type MfaDeviceKind = 'virtual' | 'hardware' | 'fido';

/** What a code check reads from a stored device: its opened secret, its parameters and its replay state. */
export interface DeviceCodeState {
  readonly secret: Uint8Array;
  readonly params: TotpParams;
  /** The token's offset from our clock, in steps. */
  readonly drift: number;
  /** The last accepted step. */
  readonly lastStep: number;
}

export interface MfaStrategy {
  /** A sign-in code (STS, console): ±1 step around the device's drift; a step at or before lastStep is a replay. */
  verifySignIn(device: DeviceCodeState, code: string, nowMs: number): VerifyResult;
  /** Two consecutive codes around our own clock: 'enable' within ±2 minutes, 'resync' within ±10 minutes. */
  verifyPair(device: DeviceCodeState, code1: string, code2: string, nowMs: number, purpose: 'enable' | 'resync'): VerifyResult;
}

export const totpStrategy: MfaStrategy = {
  verifySignIn: (d, code, nowMs) => verifyCode({ secret: d.secret, code, nowMs, params: d.params, drift: d.drift, lastStep: d.lastStep }),
  verifyPair: (d, code1, code2, nowMs, purpose) => verifyConsecutive({
    secret: d.secret, code1, code2, nowMs, params: d.params, lastStep: d.lastStep,
    window: stepsForSeconds(purpose === 'resync' ? RESYNC_WINDOW_SECONDS : ENABLE_WINDOW_SECONDS, d.params.period),
  }),
};

/** One kind of MFA device, as everything outside its enrolment sees it. */
export interface MfaDeviceType {
  readonly kind: MfaDeviceKind;
  /** The console's name for the type ("Assign MFA device" offers these). */
  readonly label: string;
  /** How a sign-in proves the device: a code (TOTP) or a WebAuthn assertion. */
  readonly factor: 'code' | 'webauthn';
  /** The code checks of a code device; null for a device that takes no codes. */
  readonly codes: MfaStrategy | null;
  /** DeactivateMFADevice: a virtual device stays (unassigned), a hardware token returns to the inventory, a FIDO device is deleted. */
  readonly onDeactivate: 'unassign' | 'delete';
}

const TYPES: Readonly<Record<MfaDeviceKind, MfaDeviceType>> = {
  virtual: { kind: 'virtual', label: 'Authenticator app', factor: 'code', codes: totpStrategy, onDeactivate: 'unassign' },
  hardware: { kind: 'hardware', label: 'Hardware TOTP token', factor: 'code', codes: totpStrategy, onDeactivate: 'unassign' },
  fido: { kind: 'fido', label: 'Passkey or security key', factor: 'webauthn', codes: null, onDeactivate: 'delete' },
};

export const isMfaDeviceKind = (kind: unknown): kind is MfaDeviceKind => kind === 'virtual' || kind === 'hardware' || kind === 'fido';

/** The type of a stored device's kind; any other kind in the database is a bug. */
export function deviceTypeOf(kind: unknown): MfaDeviceType {
  if (!isMfaDeviceKind(kind)) throw new Error(`unknown MFA device kind: ${String(kind)}`);
  return TYPES[kind];
}

/** The code strategy for a stored device's kind, or null for a device that takes no codes (FIDO). */
export const strategyFor = (kind: unknown): MfaStrategy | null => deviceTypeOf(kind).codes;

/** The kind a serial number names, from its form alone (AWS's serials: mfa/… virtual, u2f/… FIDO, else hardware). */
export function kindOfSerial(serial: string): MfaDeviceKind {
  if (/^arn:[\w-]+:iam::\d{12}:mfa\//.test(serial)) return 'virtual';
  if (/^arn:[\w-]+:iam::\d{12}:u2f\//.test(serial)) return 'fido';
  return 'hardware';
}
