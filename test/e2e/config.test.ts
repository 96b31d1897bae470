// The config file (TOML, --config or GATEHOUSE_CONFIG): precedence flag > environment > file > default, shown
// with `gatehouse env` (which reads the data folder) and with `gatehouse serve`; unknown keys refused naming the
// key; the admin commands find the store from the file alone; the credential report's reuse window as a setting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGatehouse } from '../helpers/server.js';
import { awsCli, NO_AWS_CLI } from '../helpers/clients.js';

const BIN = new URL('../../bin/gatehouse.js', import.meta.url).pathname;

interface Run { code: number | string | null | undefined; stdout: string; stderr: string }
/** Runs gatehouse with exactly this environment (no GATEHOUSE_* inherited), in cwd. */
function gatehouse(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Run> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GATEHOUSE_')));
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...base, ...env }, cwd, timeout: 30_000 }, (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr }));
  });
}

/** A data folder holding only a bootstrap.json whose admin key id names the folder (what `gatehouse env` reads). */
function fakeData(root: string, name: string): string {
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'bootstrap.json'), JSON.stringify({ accountId: '123456789012', endpoint: `http://127.0.0.1:1/${name}`, admin: { accessKeyId: `AKIA${name.toUpperCase()}`, secretAccessKey: 'x'.repeat(40) } }));
  return dir;
}

test('precedence: flag, then environment, then config file, then default (gatehouse env)', async () => {
  const root = mkdtempSync(join(tmpdir(), 'gatehouse-config-'));
  try {
    const cwd = join(root, 'elsewhere');
    mkdirSync(cwd);
    const fromFile = fakeData(root, 'fromfile');
    const fromEnv = fakeData(root, 'fromenv');
    const fromFlag = fakeData(root, 'fromflag');
    const config = join(root, 'gatehouse.toml');
    writeFileSync(config, `# Gatehouse settings\ndata = "${fromFile}"\nport = 4555\n`);

    const def = await gatehouse(['env'], {}, cwd);
    assert.equal(def.code, 1);
    assert.match(def.stderr, /elsewhere\/\.gatehouse\/bootstrap\.json does not exist/, 'default: ./.gatehouse');
    const key = (r: Run): string | undefined => /AWS_ACCESS_KEY_ID=AKIA(\w+)/.exec(r.stdout)?.[1];
    assert.equal(key(await gatehouse(['env'], { GATEHOUSE_CONFIG: config }, cwd)), 'FROMFILE', 'GATEHOUSE_CONFIG names the file');
    assert.equal(key(await gatehouse(['env', '--config', config], {}, cwd)), 'FROMFILE', '--config names the file');
    assert.equal(key(await gatehouse(['env', '--config', config], { GATEHOUSE_DATA: fromEnv }, cwd)), 'FROMENV', 'environment over file');
    assert.equal(key(await gatehouse(['env', '--config', config, '--data', fromFlag], { GATEHOUSE_DATA: fromEnv }, cwd)), 'FROMFLAG', 'flag over environment');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('unknown keys, tables and bad values in the config file are refused, naming the key', async () => {
  const root = mkdtempSync(join(tmpdir(), 'gatehouse-config-'));
  try {
    const write = (name: string, text: string): string => { const p = join(root, name); writeFileSync(p, text); return p; };
    const typo = write('typo.toml', 'prot = 4555\n');
    for (const args of [['serve', '--config', typo, '--data', join(root, 'd')], ['env', '--config', typo], ['hardware-tokens', 'list', '--config', typo]]) {
      const r = await gatehouse(args, {}, root);
      assert.ok(r.code === 1 || r.code === 2, `${args[0]} refuses: ${r.stdout}`);
      assert.match(r.stderr, /unknown setting 'prot'; the settings are: port, host, data/);
    }
    const viaEnv = await gatehouse(['serve', '--data', join(root, 'd')], { GATEHOUSE_CONFIG: typo }, root);
    assert.match(viaEnv.stderr, /typo\.toml has an unknown setting 'prot'/);
    const table = await gatehouse(['serve', '--config', write('table.toml', '[server]\nport = 1\n')], {}, root);
    assert.match(table.stderr, /unknown setting 'server'/);
    const bad = await gatehouse(['serve', '--config', write('bad.toml', 'port = "4555\n')], {}, root);
    assert.match(bad.stderr, /is not valid TOML/);
    const missing = await gatehouse(['env', '--config', join(root, 'nope.toml')], {}, root);
    assert.match(missing.stderr, /cannot read the config file .*nope\.toml: ENOENT/);
    const badValue = await gatehouse(['serve', '--config', write('value.toml', 'log-format = "xml"\n'), '--data', join(root, 'd')], {}, root);
    assert.match(badValue.stderr, /--log-format must be json or pretty, got 'xml'/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('serve from a config file: its settings apply under the flags; the admin commands find the store from it', { skip: NO_AWS_CLI }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'gatehouse-config-'));
  const config = join(root, 'gatehouse.toml');
  // port = 1 is overridden by the test helper's --port 0 (flag over file); the rest applies.
  writeFileSync(config, `port = 1\nlog-level = "info"\nlog-format = "pretty"\nmetrics-address = "127.0.0.1:0"\ncredential-report-max-age = 1\nmfa-issuer = "Ops Test"\n`);
  const node = await startGatehouse({ args: ['--config', config], env: { GATEHOUSE_LOG_LEVEL: '' } });
  try {
    assert.match(node.stdout, /Metrics: http:\/\/127\.0\.0\.1:\d+\/metrics/, 'metrics-address from the file');
    const gen = await awsCli<{ State: string }>(node, ['iam', 'generate-credential-report']);
    assert.ok(gen.ok, gen.stderr);
    // The report is generated in the background, then expires a second later (the window set in the file).
    let expired = '';
    for (let i = 0; i < 40 && !/ReportExpired/.test(expired); i++) {
      await new Promise((r) => setTimeout(r, 250));
      expired = (await awsCli(node, ['iam', 'get-credential-report'])).stderr;
    }
    assert.match(expired, /ReportExpired.*older than 1 second\b/);
    // pretty logs: readable lines, not JSON objects
    assert.match(node.stdout, /INFO.*request/);
    assert.ok(!node.stdout.split('\n').some((l) => l.startsWith('{"level"')), 'no JSON lines with log-format pretty');

    // An admin command run elsewhere finds the store from the config file alone.
    const admin = join(root, 'admin.toml');
    writeFileSync(admin, `data = "${node.dataDir}"\n${node.databaseUrl ? `database = "${node.databaseUrl}"\n` : ''}`);
    const listed = await gatehouse(['hardware-tokens', 'list'], { GATEHOUSE_CONFIG: admin }, tmpdir());
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`No hardware tokens in account ${node.accountId}`));
    const locks = await gatehouse(['mfa', 'locks'], { GATEHOUSE_CONFIG: admin }, tmpdir());
    assert.equal(locks.code, 0, locks.stderr);
  } finally {
    await node.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
