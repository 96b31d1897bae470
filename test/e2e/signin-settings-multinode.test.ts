// The account's MFA settings are read at every sign-in, with no cache: two Gatehouse nodes on one PostgreSQL
// database, a setting changed with `gatehouse settings set` applies at the next sign-in on the other node; a
// trusted device remembered through one node is honoured by the other. PostgreSQL only (SQLite serves one node).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startTwoNodes, setSigninSettings, MULTINODE_SKIP } from '../helpers/server.js';
import type { TwoNodes } from '../helpers/server.js';
import { iam } from '../helpers/clients.js';
import { launchBrowser, skipWithoutChromium, newPage as openPage } from '../helpers/browser.js';
import type { RealBrowser } from '../helpers/browser.js';
import { createUser, heading, signIn, submitCode } from '../helpers/signin.js';
import type { GatehouseNode } from '../helpers/server.js';

const SKIP = MULTINODE_SKIP || skipWithoutChromium();
let nodes: TwoNodes | undefined;
let real: RealBrowser | undefined;

before(async () => {
  if (SKIP) return;
  nodes = await startTwoNodes();
  real = await launchBrowser();
}, { timeout: 120_000 });
after(async () => { await real?.close(); await nodes?.stop(); }, { timeout: 60_000 });

async function afterPassword(page: Page, node: GatehouseNode, name: string): Promise<string> {
  await signIn(page, node, name);
  await page.waitForURL((u) => u.pathname !== '/console' || u.search === '');
  await page.locator('h1').waitFor();
  return heading(page);
}

test('a setting changed through one node\'s store applies at the next sign-in on the other; a trusted device works on both', { skip: SKIP, timeout: 90_000 }, async () => {
  const { a, b } = nodes!; // started in before() when not skipped
  const admin = iam(a);
  await createUser(admin, 'noa', { device: false });
  const page = await openPage(real!);
  assert.equal(await afterPassword(page, b, 'noa'), 'Assign MFA device', 'the default: require registration');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await setSigninSettings(a, 'without-device=allow', 'prompt=context-aware');
  assert.equal(await afterPassword(page, b, 'noa'), 'Console home', 'node b reads the change at once');
  await page.getByRole('button', { name: 'Sign out' }).click();

  // Trusted through node a (both nodes are localhost: the cookie is the browser's for both), honoured by node b.
  const kai = await createUser(admin, 'kai');
  assert.equal(await afterPassword(page, a, 'kai'), 'Multi-factor authentication');
  await submitCode(page, kai.nextCode(), { trust: true });
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();
  assert.equal(await afterPassword(page, b, 'kai'), 'Console home');
  assert.match(await page.locator('main').innerText(), /Signed in with MFA/);
  await page.context().close();
});
