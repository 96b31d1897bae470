// Real AWS clients pointed at a Gatehouse node: the JS SDK v3, the aws CLI and boto3 (the last two from the
// machine's Python: skipped with a message where missing, failed in CI — see tools.js).
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { execFile } from 'node:child_process';
import { haveTool, requireTool, skipWithout } from './tools.js';

export function iam(node, creds = node.admin) {
  return new IAMClient({ endpoint: node.endpoint, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
}
export function sts(node, creds = node.admin) {
  return new STSClient({ endpoint: node.endpoint, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
}

/** Run an SDK call and return the error it throws (fails the test if it succeeds). */
export async function rejects(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

export const HAVE_AWS_CLI = haveTool('aws CLI');
export const HAVE_BOTO3 = haveTool('boto3');
/** `skip` values: a reason on a machine without the tool, false in CI (the test runs and fails, clearly). */
export const NO_AWS_CLI = skipWithout('aws CLI');
export const NO_BOTO3 = skipWithout('boto3');

function credEnv(creds) {
  const env = { ...process.env, AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey, AWS_DEFAULT_REGION: 'us-east-1', AWS_MAX_ATTEMPTS: '1', AWS_RETRY_MODE: 'standard' };
  delete env.AWS_PROFILE;
  if (creds.sessionToken) env.AWS_SESSION_TOKEN = creds.sessionToken; else delete env.AWS_SESSION_TOKEN;
  return env;
}

/** `aws --endpoint-url … <args> --output json`; resolves {ok, json, stdout, stderr, code}. */
export function awsCli(node, args, creds = node.admin, { cwd } = {}) {
  return new Promise((resolve) => {
    requireTool('aws CLI');
    execFile('aws', ['--endpoint-url', node.endpoint, ...args, '--output', 'json'], { env: credEnv(creds), cwd, timeout: 60_000 }, (err, stdout, stderr) => {
      let json = null;
      try { json = stdout.trim() ? JSON.parse(stdout) : null; } catch { /* not JSON */ }
      resolve({ ok: !err, code: err ? err.code : 0, stdout, stderr, json });
    });
  });
}

/** Run a Python snippet with boto3; `iam` and `sts` clients are predefined; it prints JSON to stdout. */
export function boto3(node, code, creds = node.admin) {
  const prelude = `import boto3, json, sys, botocore
from botocore.config import Config
cfg = Config(retries={'max_attempts': 1, 'mode': 'standard'})
iam = boto3.client('iam', endpoint_url=${JSON.stringify(node.endpoint)}, region_name='us-east-1', config=cfg)
sts = boto3.client('sts', endpoint_url=${JSON.stringify(node.endpoint)}, region_name='us-east-1', config=cfg)
def out(x): print(json.dumps(x, default=str))
`;
  return new Promise((resolve, reject) => {
    requireTool('boto3');
    execFile('python3', ['-c', prelude + code], { env: credEnv(creds), timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`boto3 script failed: ${stderr}`));
      resolve(JSON.parse(stdout.trim().split('\n').pop()));
    });
  });
}
