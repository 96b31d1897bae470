// Each kind of MFA device behind one interface. The rest of the system asks the same of every device: check a
// sign-in code, check two consecutive codes (enrolment, resync). Kinds differ in enrolment only (a virtual device's
// seed is generated and shown once; a hardware token's is imported from its vendor's file), so both kinds today
// are TOTP; a second factor of another nature (a FIDO key) would be a strategy of its own.
import { verifyCode, verifyConsecutive, stepsForSeconds, ENABLE_WINDOW_SECONDS, RESYNC_WINDOW_SECONDS } from './totp.js';
import type { TotpParams, VerifyResult } from './totp.js';

export type MfaDeviceKind = 'virtual' | 'hardware';

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

const STRATEGIES: Readonly<Record<MfaDeviceKind, MfaStrategy>> = { virtual: totpStrategy, hardware: totpStrategy };

export const isMfaDeviceKind = (kind: unknown): kind is MfaDeviceKind => kind === 'virtual' || kind === 'hardware';

/** The strategy for a stored device's kind; any other kind in the database is a bug. */
export function strategyFor(kind: unknown): MfaStrategy {
  if (!isMfaDeviceKind(kind)) throw new Error(`unknown MFA device kind: ${String(kind)}`);
  return STRATEGIES[kind];
}
