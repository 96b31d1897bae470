// The documented action sets the simulation uses (docs/audit.md, "MFA not enforced").

/**
 * Sensitive actions: if any is allowed without MFA, MFA is not enforced for that principal, whatever devices it
 * has. None of them is needed to enrol a device, so a correct "deny everything without MFA" policy denies all.
 */
export const SENSITIVE_ACTIONS: readonly string[] = [
  'iam:ListUsers',
  'iam:CreateUser',
  'iam:DeleteUser',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:UpdateLoginProfile',
  'iam:AttachUserPolicy',
  'iam:PutUserPolicy',
  'iam:AttachRolePolicy',
  'iam:CreatePolicyVersion',
  'iam:DeactivateMFADevice',
  'iam:DeleteVirtualMFADevice',
  'iam:PassRole',
  'sts:AssumeRole',
  's3:GetObject',
  's3:PutObject',
  'ec2:RunInstances',
  'ec2:TerminateInstances',
  'kms:Decrypt',
  'secretsmanager:GetSecretValue',
  'lambda:UpdateFunctionCode',
  'cloudtrail:StopLogging',
];

/** What a user needs to enrol a first virtual device (checked on the user's own ARNs by `mfa enforce --dry-run`). */
export const ENROLMENT_ACTIONS: readonly string[] = ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:ListMFADevices'];
