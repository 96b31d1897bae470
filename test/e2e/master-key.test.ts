// The master key is checked against the store at start: a node with another key (or none, beside a store that
// has secrets) refuses to start and names the key the store expects by its id, never printing a key; a store from
// before the sentinel is checked against a secret already in it; a secret that does not open at request time makes
// that access key unusable (InvalidClientTokenId), not the service (no 500).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import * as I from '@aws-sdk/client-iam';
import { startGatehouse, STORE } from '../helpers/server.js';
import { iam, rejects } from '../helpers/clients.js';
import { masterKeyId, SecretBox } from '../../src/store/secrets.js';
import { openDatabase } from '../../src/store/index.js';
import type { SqlParam } from '../../src/store/db.js';

type Node = Awaited<ReturnType<typeof startGatehouse>>;
/** A row as the store returns it: column name to value. */
type Row = Record<string, unknown>;
/** What a failed SDK call rejects with: AWS's error code as its name, the HTTP status in $metadata. */

const keyOf = (node: Node): Buffer => Buffer.from(readFileSync(join(node.dataDir, 'master.key'), 'utf8').trim(), 'base64');
/** The URL a second process uses to reach the same store: the PostgreSQL database, or the SQLite file. */
const storeUrl = (node: Node): string => node.databaseUrl ?? `sqlite:${join(node.dataDir, 'gatehouse.db')}`;

/** Run one SQL statement on the node's store from outside the server, through the store's own query layer. */
async function sql(node: Node, text: string, params: SqlParam[] = []): Promise<Row[]> {
  const db = await openDatabase({ databaseUrl: storeUrl(node) });
  try {
    return /^\s*select/i.test(text) ? await db.all<Row>(text, params) : (await db.run(text, params), []);
  } finally { await db.close(); }
}

async function startFails(opts: Parameters<typeof startGatehouse>[0]): Promise<string> {
  try {
    const node = await startGatehouse(opts);
    await node.stop({ keepData: true });
  } catch (e) {
    return (e as Error).message; // startGatehouse rejects with an Error
  }
  throw new Error('expected the node to refuse to start');
}

test('a restart with another GATEHOUSE_MASTER_KEY refuses to start, naming the expected key by id', async () => {
  const node = await startGatehouse();
  try {
    await iam(node).send(new I.CreateUserCommand({ UserName: 'keeps' }));
    await node.stop({ keepData: true });
    const expected = masterKeyId(keyOf(node));
    const other = randomBytes(32);
    const out = await startFails({ dataDir: node.dataDir, ...(node.databaseUrl ? { databaseUrl: node.databaseUrl } : {}), env: { GATEHOUSE_MASTER_KEY: other.toString('hex') } });
    assert.match(out, /exited with 1/);
    assert.match(out, new RegExp(`gatehouse: the master key does not match this store: its secrets are sealed under master key ${expected}, but GATEHOUSE_MASTER_KEY is master key ${masterKeyId(other)}`));
    assert.ok(!out.includes(other.toString('hex')) && !out.includes(keyOf(node).toString('base64')), 'no key is printed');
    // With its own key the store is intact: nothing was sealed under the wrong one.
    const again = await startGatehouse({ dataDir: node.dataDir, ...(node.databaseUrl ? { databaseUrl: node.databaseUrl } : {}) });
    try {
      assert.equal((await iam(again).send(new I.GetUserCommand({ UserName: 'keeps' }))).User!.UserName, 'keeps');
    } finally { await again.stop({ keepData: true }); }
  } finally {
    await node.cleanup();
  }
});

test('a second node with its own data folder and no key refuses to start beside the store, and creates no key', async () => {
  const node = await startGatehouse();
  const ownDir = mkdtempSync(join(tmpdir(), 'gatehouse-second-'));
  try {
    const out = await startFails({ dataDir: ownDir, databaseUrl: storeUrl(node) });
    assert.match(out, new RegExp(`gatehouse: no master key: this store's secrets are sealed under master key ${masterKeyId(keyOf(node))}`));
    assert.ok(!existsSync(join(ownDir, 'master.key')), 'no new key was written');
    // Its own new key is refused the same way.
    const out2 = await startFails({ dataDir: ownDir, databaseUrl: storeUrl(node), env: { GATEHOUSE_MASTER_KEY: randomBytes(32).toString('base64') } });
    assert.match(out2, /the master key does not match this store/);
    // The first node was never disturbed.
    assert.equal((await iam(node).send(new I.ListUsersCommand({}))).Users![0]!.UserName, 'admin');
  } finally {
    rmSync(ownDir, { recursive: true, force: true });
    await node.stop();
  }
});

test('a store from before the sentinel is checked against a secret already in it, then gets its sentinel', async () => {
  const node = await startGatehouse();
  try {
    await node.stop({ keepData: true });
    await sql(node, 'DELETE FROM master_key_sentinel');
    const out = await startFails({ dataDir: node.dataDir, ...(node.databaseUrl ? { databaseUrl: node.databaseUrl } : {}), env: { GATEHOUSE_MASTER_KEY: randomBytes(32).toString('hex') } });
    assert.match(out, /the master key does not match this store: GATEHOUSE_MASTER_KEY \(master key [0-9a-f]{16}\) cannot open the secrets already in it/);
    assert.equal((await sql(node, 'SELECT key_id FROM master_key_sentinel')).length, 0, 'the wrong key wrote no sentinel');
    const again = await startGatehouse({ dataDir: node.dataDir, ...(node.databaseUrl ? { databaseUrl: node.databaseUrl } : {}) });
    await again.stop({ keepData: true });
    assert.deepEqual((await sql(node, 'SELECT key_id FROM master_key_sentinel')).map((r) => r.key_id), [masterKeyId(keyOf(node))]);
  } finally {
    await node.cleanup();
  }
});

test('a secret that does not open at request time is InvalidClientTokenId for that key; the service keeps serving', async () => {
  const node = await startGatehouse();
  try {
    const admin = iam(node);
    await admin.send(new I.CreateUserCommand({ UserName: 'damaged' }));
    await admin.send(new I.AddUserToGroupCommand({ GroupName: 'Administrators', UserName: 'damaged' }));
    const AccessKey = (await admin.send(new I.CreateAccessKeyCommand({ UserName: 'damaged' }))).AccessKey!;
    // Sealed under another key, as a value restored from another installation would be.
    const foreign = new SecretBox(randomBytes(32)).seal(AccessKey.SecretAccessKey!, `access-key:${AccessKey.AccessKeyId!}`);
    await sql(node, 'UPDATE access_keys SET secret_enc = ? WHERE access_key_id = ?', [foreign, AccessKey.AccessKeyId]);
    const creds = { accessKeyId: AccessKey.AccessKeyId!, secretAccessKey: AccessKey.SecretAccessKey! };
    for (let i = 0; i < 2; i++) {
      const e = await rejects(iam(node, creds).send(new I.ListUsersCommand({})));
      assert.equal(e.name, 'InvalidClientTokenId');
      assert.equal(e.$metadata.httpStatusCode, 403);
    }
    assert.ok((await admin.send(new I.ListUsersCommand({}))).Users!.length >= 2);
    assert.match(node.stdout, /does not open under the master key/);
    assert.ok(!node.stdout.includes(AccessKey.SecretAccessKey!));
  } finally {
    await node.stop();
  }
});
