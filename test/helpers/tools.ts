// External tools some tests drive: the aws CLI, boto3 and oathtool. On a developer machine a missing tool skips
// those tests with a message; in CI (CI=true) it fails them instead, with the same message, so a CI run can never
// pass by skipping what it should check (.ci/run installs the tools).
import { execFileSync } from 'node:child_process';

export const IN_CI = ['true', '1'].includes(String(process.env.CI ?? '').toLowerCase());

const TOOLS = {
  'aws CLI': { check: ['aws', ['--version']], install: 'apt-get install awscli' },
  boto3: { check: ['python3', ['-c', 'import boto3']], install: 'apt-get install python3-boto3' },
  oathtool: { check: ['oathtool', ['--version']], install: 'apt-get install oathtool' },
} satisfies Record<string, { check: [string, string[]]; install: string }>;

/** A tool some tests need: 'aws CLI', 'boto3' or 'oathtool'. */
export type ToolName = keyof typeof TOOLS;

const present = new Map<ToolName, boolean>();
export function haveTool(name: ToolName): boolean {
  if (!present.has(name)) {
    const [cmd, args] = TOOLS[name].check;
    try { execFileSync(cmd, args, { stdio: 'ignore' }); present.set(name, true); } catch { present.set(name, false); }
  }
  return present.get(name) === true;
}

/**
 * The `skip` option for a test that needs the tool: a reason when it is missing outside CI, else false (in CI the
 * test then runs and requireTool fails it).
 */
export function skipWithout(name: ToolName): string | false {
  if (haveTool(name) || IN_CI) return false;
  return `${name} is not installed on this machine (${TOOLS[name].install}); in CI this fails instead`;
}

/** Throws a clear error when the tool is missing (what a test that runs without it in CI reports). */
export function requireTool(name: ToolName): void {
  if (haveTool(name)) return;
  throw new Error(`${name} is required but not installed${IN_CI ? ' (CI=true: a missing tool fails the test instead of skipping it)' : ''}: `
    + `${TOOLS[name].install} (.ci/run installs it)`);
}

/** oathtool's output for these arguments (trimmed), after requireTool. */
export function oathtool(args: readonly string[]): string {
  requireTool('oathtool');
  return execFileSync('oathtool', args, { encoding: 'utf8' }).trim();
}
