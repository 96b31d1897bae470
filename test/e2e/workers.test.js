// `serve --workers 2`: several processes on one port, sharing the store; rules that depend on the store
// (unique names, key quotas) hold across them, and SIGTERM drains every worker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as I from '@aws-sdk/client-iam';
import { startGatehouse } from '../helpers/server.js';
import { iam } from '../helpers/clients.js';

test('two workers serve one endpoint; uniqueness and quotas hold across them; SIGTERM exits cleanly', async () => {
  const node = await startGatehouse({ args: ['--workers', '2'] });
  try {
    assert.match(node.stdout, /2 workers/);
    const client = iam(node);
    const names = Array.from({ length: 20 }, (_, i) => `parallel-${i}`);
    await Promise.all(names.map((UserName) => client.send(new I.CreateUserCommand({ UserName }))));
    const same = await Promise.allSettled(Array.from({ length: 10 }, () => client.send(new I.CreateUserCommand({ UserName: 'only-once' }))));
    assert.equal(same.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of same.filter((x) => x.status === 'rejected')) assert.equal(r.reason.name, 'EntityAlreadyExistsException');
    const keys = await Promise.allSettled(Array.from({ length: 6 }, () => client.send(new I.CreateAccessKeyCommand({ UserName: 'only-once' }))));
    assert.equal(keys.filter((r) => r.status === 'fulfilled').length, 2, 'at most two keys, whichever worker answers');
    for (const r of keys.filter((x) => x.status === 'rejected')) assert.equal(r.reason.name, 'LimitExceededException');
    const listed = [];
    for await (const page of I.paginateListUsers({ client }, { PathPrefix: '/' })) listed.push(...page.Users.map((u) => u.UserName));
    for (const n of [...names, 'only-once', 'admin']) assert.ok(listed.includes(n), n);
  } finally {
    const exit = await node.stop();
    assert.equal(exit.code, 0);
  }
});
