// Passkeys and security keys as a second factor: the WebAuthn ceremonies, with @simplewebauthn/server doing the
// protocol (options, attestation and assertion checks). Pure of storage and HTTP: the caller stores the challenge
// and the credential. As a second factor after a password, the settings are AWS's: no attestation, no resident
// key and no user verification required, so plain U2F-style security keys work as well as passkeys.
import {
  generateAuthenticationOptions, generateRegistrationOptions, verifyAuthenticationResponse, verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type {
  AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON, WebAuthnCredential,
} from '@simplewebauthn/server';

type AuthenticatorTransportFuture = NonNullable<WebAuthnCredential['transports']>[number];

/** The relying party: its id (the public URL's host name) and the origin browsers report (scheme, host, port). */
export interface RelyingParty { readonly id: string; readonly origin: string; readonly name: string }

/** The relying party of a public URL (http://localhost:4555, https://iam.example.com). */
export function relyingParty(publicUrl: string, name = 'Gatehouse'): RelyingParty {
  const u = new URL(publicUrl);
  return { id: u.hostname, origin: u.origin, name };
}

/** A credential as a ceremony needs it. */
export interface CredentialRef { readonly id: string; readonly transports: readonly string[] }

export const CEREMONY_TIMEOUT_MS = 120_000;
/** A response larger than this is refused before it is parsed (real ones are well under 4 KiB). */
export const MAX_RESPONSE_CHARS = 16_384;

const TRANSPORTS: ReadonlySet<string> = new Set(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']);
const transportsOf = (t: readonly string[]): AuthenticatorTransportFuture[] =>
  t.filter((x): x is AuthenticatorTransportFuture => TRANSPORTS.has(x));

export function registrationOptions(rp: RelyingParty, user: { id: Uint8Array<ArrayBuffer>; name: string; displayName: string }, exclude: readonly CredentialRef[]): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userID: user.id,
    userName: user.name,
    userDisplayName: user.displayName,
    timeout: CEREMONY_TIMEOUT_MS,
    attestationType: 'none',
    excludeCredentials: exclude.map((c) => ({ id: c.id, transports: transportsOf(c.transports) })),
    authenticatorSelection: { residentKey: 'discouraged', requireResidentKey: false, userVerification: 'discouraged' },
  });
}

export function authenticationOptions(rp: RelyingParty, allow: readonly CredentialRef[]): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({
    rpID: rp.id,
    timeout: CEREMONY_TIMEOUT_MS,
    userVerification: 'discouraged',
    allowCredentials: allow.map((c) => ({ id: c.id, transports: transportsOf(c.transports) })),
  });
}

/** A new credential, as registration verified it. */
export interface RegisteredCredential {
  readonly id: string;
  readonly publicKey: Uint8Array;
  readonly counter: number;
  readonly transports: readonly string[];
  readonly aaguid: string;
  readonly deviceType: string;
  readonly backedUp: boolean;
}

export type CeremonyResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

function parseJson(text: string): unknown {
  if (text.length > MAX_RESPONSE_CHARS) return null;
  try { return JSON.parse(text); } catch { return null; }
}
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The browser's registration response (JSON text from the form), checked against the challenge this server issued. */
export async function verifyRegistration(rp: RelyingParty, responseText: string, expectedChallenge: string): Promise<CeremonyResult<RegisteredCredential>> {
  const parsed = parseJson(responseText);
  if (!isRecord(parsed) || typeof parsed['id'] !== 'string' || !isRecord(parsed['response'])) return { ok: false, reason: 'malformed response' };
  try {
    const r = await verifyRegistrationResponse({
      response: parsed as unknown as RegistrationResponseJSON, // shape checked by the library, which refuses anything else
      expectedChallenge, expectedOrigin: rp.origin, expectedRPID: rp.id, requireUserVerification: false,
    });
    if (!r.verified) return { ok: false, reason: 'not verified' };
    const info = r.registrationInfo;
    return {
      ok: true,
      value: {
        id: info.credential.id,
        publicKey: info.credential.publicKey,
        counter: info.credential.counter,
        transports: info.credential.transports ?? [],
        aaguid: info.aaguid,
        deviceType: info.credentialDeviceType,
        backedUp: info.credentialBackedUp,
      },
    };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : 'not verified' };
  }
}

/** The credential id an assertion names (to find the stored credential before verifying), or null. */
export function assertionCredentialId(responseText: string): string | null {
  const parsed = parseJson(responseText);
  return isRecord(parsed) && typeof parsed['id'] === 'string' && /^[\w-]{1,1400}$/.test(parsed['id']) ? parsed['id'] : null;
}

/** What an assertion proved: the authenticator's new counter (the caller compares it with the stored one). */
export interface Assertion { readonly counter: number; readonly backedUp: boolean }

/**
 * Verifies an assertion's signature, challenge, origin and RP id against a stored credential. The counter is
 * returned, not judged: the library is given counter 0 so that the caller decides a backwards counter (a clone)
 * with its own stored value under its own row lock, and records it.
 */
export async function verifyAssertion(rp: RelyingParty, responseText: string, expectedChallenge: string, credential: { id: string; publicKey: Uint8Array; transports: readonly string[] }): Promise<CeremonyResult<Assertion>> {
  const parsed = parseJson(responseText);
  if (!isRecord(parsed) || typeof parsed['id'] !== 'string' || !isRecord(parsed['response'])) return { ok: false, reason: 'malformed response' };
  try {
    const r = await verifyAuthenticationResponse({
      response: parsed as unknown as AuthenticationResponseJSON, // shape checked by the library, which refuses anything else
      expectedChallenge, expectedOrigin: rp.origin, expectedRPID: rp.id, requireUserVerification: false,
      credential: { id: credential.id, publicKey: new Uint8Array(credential.publicKey), counter: 0, transports: transportsOf(credential.transports) },
    });
    if (!r.verified) return { ok: false, reason: 'not verified' };
    return { ok: true, value: { counter: r.authenticationInfo.newCounter, backedUp: r.authenticationInfo.credentialBackedUp } };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : 'not verified' };
  }
}

/** WebAuthn §6.1.1: a counter that does not move forward (unless the authenticator keeps none) means a cloned key. */
export const counterWentBackwards = (stored: number, received: number): boolean => (received > 0 || stored > 0) && received <= stored;
