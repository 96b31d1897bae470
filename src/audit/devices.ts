// Device type from the serial number exactly, as AWS writes it: `arn:…:mfa/…` is a virtual (TOTP app) device,
// `arn:…:u2f/…` a FIDO security key or passkey, `arn:…:sms-mfa/…` the retired SMS type, and a bare vendor serial
// (`GAHT12345678`) a hardware TOTP token. Never from a name: a user called `root-account-mfa-device` fools a
// substring match (aws-security-benchmark#53).
import type { DeviceKind, FactorStrength, MfaDevice } from './types.js';

const ARN = /^arn:[a-z-]+:iam::[0-9]{12}:([a-z0-9-]+)\/.+$/;

export function deviceKind(serial: string): DeviceKind {
  if (!serial.startsWith('arn:')) return /^[\w+=,.@-]+$/.test(serial) ? 'hardware' : 'unknown';
  const m = ARN.exec(serial);
  switch (m?.[1]) {
    case 'mfa': return 'virtual';
    case 'u2f': return 'fido';
    case 'sms-mfa': return 'sms';
    default: return 'unknown';
  }
}

/** The strongest factor among the devices: a FIDO key is phishing-resistant; TOTP (app or token) is not. */
export function factorStrength(devices: readonly MfaDevice[]): FactorStrength {
  if (devices.some((d) => d.kind === 'fido')) return 'phishing-resistant';
  return devices.length > 0 ? 'totp' : 'none';
}

/** Score credit for a passed MFA check by factor strength (docs/audit.md, "The score"). */
export const FACTOR_CREDIT: Readonly<Record<FactorStrength, number>> = { 'phishing-resistant': 1, totp: 0.75, none: 0 };

/** Hardware-backed: a FIDO key or a hardware TOTP token (AWS Config and Prowler count FIDO as hardware). */
export const isHardwareBacked = (d: MfaDevice): boolean => d.kind === 'fido' || d.kind === 'hardware';

export function describeDevices(devices: readonly MfaDevice[]): string {
  if (devices.length === 0) return 'no MFA device';
  const counts = new Map<DeviceKind, number>();
  for (const d of devices) counts.set(d.kind, (counts.get(d.kind) ?? 0) + 1);
  const names: Record<DeviceKind, string> = { virtual: 'virtual', hardware: 'hardware TOTP', fido: 'FIDO', sms: 'SMS', unknown: 'unrecognised' };
  return [...counts].map(([k, n]) => `${n} ${names[k]}`).join(', ') + (devices.length === 1 ? ' device' : ' devices');
}
