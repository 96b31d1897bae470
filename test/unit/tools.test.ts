// Tests that need the aws CLI, boto3 or oathtool skip with a message on a machine without them, and fail with a
// clear message in CI (CI=true) — checked by running a one-test file in a child process with an empty PATH.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const helpers = new URL('../helpers/', import.meta.url).href;

function runWithoutTools(ci: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-tools-'));
  try {
    const file = join(dir, 'needs-tools.test.mjs');
    writeFileSync(file, `import { test } from 'node:test';
import { oathtool, skipWithout } from '${helpers}tools.js';
import { awsCli, NO_AWS_CLI, boto3, NO_BOTO3 } from '${helpers}clients.js';
const node = { endpoint: 'http://127.0.0.1:9', admin: { accessKeyId: 'AKIA', secretAccessKey: 'x' } };
test('oathtool', { skip: skipWithout('oathtool') }, () => { oathtool(['--version']); });
test('aws CLI', { skip: NO_AWS_CLI }, async () => { await awsCli(node, ['sts', 'get-caller-identity']); });
test('boto3', { skip: NO_BOTO3 }, async () => { await boto3(node, 'out(1)'); });
`);
    const env: NodeJS.ProcessEnv = { PATH: join(dir, 'no-such-bin'), HOME: dir };
    if (ci) env['CI'] = 'true';
    return spawnSync(process.execPath, ['--test', '--test-reporter=tap', file], { env, encoding: 'utf8', timeout: 60_000 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('without the tools and outside CI: the three tests are skipped, each with its reason', () => {
  const r = runWithoutTools(false);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /# skipped 3/);
  for (const [name, pkg] of [['oathtool', 'oathtool'], ['aws CLI', 'awscli'], ['boto3', 'python3-boto3']]) {
    assert.match(r.stdout, new RegExp(`# SKIP ${name} is not installed on this machine \\(apt-get install ${pkg}\\); in CI this fails instead`));
  }
});

test('without the tools in CI (CI=true): the three tests fail, saying which tool to install', () => {
  const r = runWithoutTools(true);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /# fail 3/);
  assert.match(r.stdout, /# skipped 0/);
  for (const [name, pkg] of [['oathtool', 'oathtool'], ['aws CLI', 'awscli'], ['boto3', 'python3-boto3']]) {
    assert.ok(r.stdout.includes(`${name} is required but not installed (CI=true: a missing tool fails the test instead of skipping it): apt-get install ${pkg} (.ci/run installs it)`), name);
  }
});
