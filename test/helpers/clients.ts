// Real AWS clients pointed at a Gatehouse node: the JS SDK v3, the aws CLI and boto3 (the last two from the
// machine's Python: skipped with a message where missing, failed in CI — see tools.js).
import assert from 'node:assert/strict';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import type { IAMServiceException } from '@aws-sdk/client-iam';
import type { STSServiceException } from '@aws-sdk/client-sts';
import { execFile } from 'node:child_process';
import http from 'node:http';
import { haveTool, requireTool, skipWithout } from './tools.js';
import type { Credentials, GatehouseNode } from './server.js';

/** What the clients need of a node: where it listens and whose keys to sign with by default. */
export type NodeEndpoint = Pick<GatehouseNode, 'endpoint' | 'admin'>;

/** The error an SDK call rejects with: the service's exception (name, message, $metadata.httpStatusCode). */
export type SdkError = IAMServiceException | STSServiceException;

/**
 * The SDK clients' settings in tests: no retry (a test sees the server's first answer, a 5xx included) and a new
 * connection per call. A kept-alive connection idle for the server's keep-alive timeout (5 s, e.g. across a browser
 * step) could be reused by the client just as the server closed it: "socket hang up", with no retry to absorb it.
 */
export const SDK_TEST_CONFIG = { region: 'us-east-1', maxAttempts: 1, requestHandler: { httpAgent: new http.Agent({ keepAlive: false }) } } as const;

export function iam(node: NodeEndpoint, creds: Credentials = node.admin): IAMClient {
  return new IAMClient({ ...SDK_TEST_CONFIG, endpoint: node.endpoint, credentials: creds });
}
export function sts(node: NodeEndpoint, creds: Credentials = node.admin): STSClient {
  return new STSClient({ ...SDK_TEST_CONFIG, endpoint: node.endpoint, credentials: creds });
}

/** Run an SDK call and return the error it throws (fails the test if it succeeds). */
export async function rejects(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (e) {
    return e as SdkError; // what these tests hand in are SDK calls, which reject with the service's exception
  }
  throw new Error('expected the call to fail, but it succeeded');
}

export const HAVE_AWS_CLI = haveTool('aws CLI');
export const HAVE_BOTO3 = haveTool('boto3');
/** `skip` values: a reason on a machine without the tool, false in CI (the test runs and fails, clearly). */
export const NO_AWS_CLI = skipWithout('aws CLI');
export const NO_BOTO3 = skipWithout('boto3');

function credEnv(creds: Credentials): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey, AWS_DEFAULT_REGION: 'us-east-1', AWS_MAX_ATTEMPTS: '1', AWS_RETRY_MODE: 'standard' };
  delete env['AWS_PROFILE'];
  if (creds.sessionToken) env['AWS_SESSION_TOKEN'] = creds.sessionToken; else delete env['AWS_SESSION_TOKEN'];
  return env;
}

/**
 * What awsCli resolves: `json` is the parsed stdout (null when empty or not JSON), of the shape the caller names
 * (T: the aws CLI prints the operation's output, the SDK's output shape with timestamps as strings).
 */
export interface CliResult<T = unknown> {
  ok: boolean;
  code: number | string | null | undefined;
  stdout: string;
  stderr: string;
  json: T | null;
}

/** `aws --endpoint-url … <args> --output json`; resolves {ok, json, stdout, stderr, code}. */
export function awsCli<T = unknown>(node: NodeEndpoint, args: readonly string[], creds: Credentials = node.admin, { cwd }: { cwd?: string | undefined } = {}): Promise<CliResult<T>> {
  return new Promise((resolve) => {
    requireTool('aws CLI');
    execFile('aws', ['--endpoint-url', node.endpoint, ...args, '--output', 'json'], { env: credEnv(creds), cwd, timeout: 60_000 }, (err, stdout, stderr) => {
      let json: T | null = null;
      try { json = stdout.trim() ? JSON.parse(stdout) as T : null; } catch { /* not JSON */ } // the caller names the output's shape
      resolve({ ok: !err, code: err ? err.code : 0, stdout, stderr, json });
    });
  });
}

/**
 * Run a Python snippet with boto3; `iam` and `sts` clients are predefined; it prints JSON to stdout. Resolves the
 * last line's JSON, of the shape the caller names (T: what the snippet's out(…) prints).
 */
export function boto3<T = unknown>(node: NodeEndpoint, code: string, creds: Credentials = node.admin): Promise<T> {
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
      resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as T); // the snippet prints what the caller names
    });
  });
}

/** The caller's keys from a CreateAccessKey answer (the SDK types every output member as optional). */
export function keyCreds(k: { AccessKeyId?: string | undefined; SecretAccessKey?: string | undefined } | undefined): Credentials {
  assert.ok(k?.AccessKeyId && k.SecretAccessKey, 'CreateAccessKey returned a key');
  return { accessKeyId: k.AccessKeyId, secretAccessKey: k.SecretAccessKey };
}
