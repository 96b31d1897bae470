// Console sign-in steps shared by the sign-in settings tests (test/e2e/signin-settings-*.test.ts): IAM users with a
// virtual MFA device enrolled through the API, TOTP codes computed from its seed, the sign-in form in a real browser.
import assert from 'node:assert/strict';
import * as I from '@aws-sdk/client-iam';
import { TOTP, Secret } from 'otpauth';
import type { Page } from 'playwright-core';
import { consoleUrl } from './browser.js';
import type { GatehouseNode } from './server.js';

export const PASSWORD = 'Corr3ct-Horse-Battery!';
export const STEP = 30_000;
export const totp = (seed: string, t: number): string => new TOTP({ secret: Secret.fromBase32(seed), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: t });
/** The start of the current 30-second step. */
export const stepStart = (t = Date.now()): number => t - (t % STEP);

/** A device's seed and serial, and the next code sign-in may use (each code works once: this hands out later steps). */
export interface MfaUser {
  readonly name: string;
  readonly seed: string;
  readonly serial: string;
  /** A code not used yet: the current step's, then the next step's (at most two per 30 seconds of wall time). */
  nextCode(): string;
}

/** An IAM user with a console password, the given policies, and (unless `device: false`) an enabled virtual MFA device. */
export async function createUser(admin: I.IAMClient, name: string, o: { device?: boolean; policies?: Record<string, object>; tags?: Record<string, string> } = {}): Promise<MfaUser> {
  await admin.send(new I.CreateUserCommand({ UserName: name, Tags: Object.entries(o.tags ?? {}).map(([Key, Value]) => ({ Key, Value })) }));
  await admin.send(new I.CreateLoginProfileCommand({ UserName: name, Password: PASSWORD }));
  for (const [policyName, doc] of Object.entries(o.policies ?? {})) {
    await admin.send(new I.PutUserPolicyCommand({ UserName: name, PolicyName: policyName, PolicyDocument: JSON.stringify(doc) }));
  }
  if (o.device === false) return { name, seed: '', serial: '', nextCode: () => { throw new Error(`${name} has no device`); } };
  return enrolVirtual(admin, name, name);
}

/** A virtual device for the user, enabled with the codes of the two steps before this one (this step stays free). */
export async function enrolVirtual(admin: I.IAMClient, userName: string, deviceName: string): Promise<MfaUser> {
  const dev = await admin.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: deviceName }));
  const seed = Buffer.from(dev.VirtualMFADevice!.Base32StringSeed!).toString('ascii'); // CreateVirtualMFADevice returns the seed
  const serial = dev.VirtualMFADevice!.SerialNumber!;
  const t = stepStart();
  await admin.send(new I.EnableMFADeviceCommand({ UserName: userName, SerialNumber: serial, AuthenticationCode1: totp(seed, t - 2 * STEP), AuthenticationCode2: totp(seed, t - STEP) }));
  let used = t - STEP;
  return {
    name: userName, seed, serial,
    nextCode() {
      // The current step, else the next one: the server accepts ±1 step and each step once.
      const now = stepStart();
      const step = Math.max(now, used + STEP);
      assert.ok(step <= now + STEP, `${userName}: no unused code until the next 30-second step`);
      used = step;
      return totp(seed, step);
    },
  };
}

export async function signIn(page: Page, node: Pick<GatehouseNode, 'endpoint' | 'accountId'>, userName: string, password = PASSWORD): Promise<void> {
  await page.goto(consoleUrl(node.endpoint, `/console?account=${node.accountId}`));
  await page.getByLabel('IAM user name').fill(userName);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function rootSignIn(page: Page, node: Pick<GatehouseNode, 'endpoint' | 'bootstrap'>): Promise<void> {
  await page.goto(consoleUrl(node.endpoint, '/console/root'));
  await page.getByLabel('Root user email address').fill(node.bootstrap.root.email);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Password').fill(node.bootstrap.root.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The MFA page: the code, optionally "This is a trusted device", Submit. */
export async function submitCode(page: Page, code: string, o: { trust?: boolean } = {}): Promise<void> {
  await page.getByLabel('MFA code').fill(code);
  if (o.trust) await page.getByLabel('This is a trusted device').check();
  await page.getByRole('button', { name: 'Submit' }).click();
}

/** The page's heading once it has loaded. */
export async function heading(page: Page): Promise<string> {
  return (await page.locator('h1').first().innerText()).trim();
}

/** Signs in with the password and answers the page that follows: its heading (the MFA page, the wizard, home…). */
export async function afterPassword(page: Page, node: Pick<GatehouseNode, 'endpoint' | 'accountId'>, userName: string): Promise<string> {
  await signIn(page, node, userName);
  await page.waitForURL((u) => u.pathname !== '/console' || u.search === '');
  await page.locator('h1').waitFor();
  return heading(page);
}

/**
 * The console's Assign MFA device wizard for an authenticator app: names it, reads the secret key, enters the codes
 * of the two steps before this one and presses Add MFA. Returns the seed.
 */
export async function enrolAppInConsole(page: Page, node: Pick<GatehouseNode, 'endpoint'>, deviceName: string): Promise<string> {
  await page.goto(consoleUrl(node.endpoint, '/console/mfa/assign'));
  await page.getByLabel('Device name').fill(deviceName);
  await page.getByLabel('Authenticator app').check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('Show secret key').click();
  const seed = (await page.locator('#secret-key').innerText()).trim();
  const t = stepStart();
  await page.getByLabel('MFA code 1').fill(totp(seed, t - 2 * STEP));
  await page.getByLabel('MFA code 2').fill(totp(seed, t - STEP));
  await page.getByRole('button', { name: 'Add MFA' }).click();
  return seed;
}
