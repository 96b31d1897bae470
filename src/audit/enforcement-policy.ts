// AWS's documented example "Allows MFA-authenticated IAM users to manage their own credentials on the Security
// credentials page" (IAM User Guide, reference_policies_examples_aws_my-sec-creds-self-manage), verbatim: it lets
// a user manage their own password, keys and MFA devices, and denies everything except enrolling a device while
// the request carries no MFA (`BoolIfExists` so long-term access keys are denied too).

export const DEFAULT_POLICY_NAME = 'RequireMFA';
export const POLICY_DESCRIPTION = 'Deny everything except enrolling an MFA device unless signed in with MFA (AWS documented example)';

export const ENFORCEMENT_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'AllowViewAccountInfo', Effect: 'Allow', Action: ['iam:GetAccountPasswordPolicy', 'iam:GetAccountSummary', 'iam:ListVirtualMFADevices'], Resource: '*' },
    { Sid: 'AllowManageOwnPasswords', Effect: 'Allow', Action: ['iam:ChangePassword', 'iam:GetUser'], Resource: 'arn:aws:iam::*:user/${aws:username}' },
    { Sid: 'AllowManageOwnAccessKeys', Effect: 'Allow', Action: ['iam:CreateAccessKey', 'iam:DeleteAccessKey', 'iam:ListAccessKeys', 'iam:UpdateAccessKey'], Resource: 'arn:aws:iam::*:user/${aws:username}' },
    { Sid: 'AllowManageOwnSigningCertificates', Effect: 'Allow', Action: ['iam:DeleteSigningCertificate', 'iam:ListSigningCertificates', 'iam:UpdateSigningCertificate', 'iam:UploadSigningCertificate'], Resource: 'arn:aws:iam::*:user/${aws:username}' },
    { Sid: 'AllowManageOwnSSHPublicKeys', Effect: 'Allow', Action: ['iam:DeleteSSHPublicKey', 'iam:GetSSHPublicKey', 'iam:ListSSHPublicKeys', 'iam:UpdateSSHPublicKey', 'iam:UploadSSHPublicKey'], Resource: 'arn:aws:iam::*:user/${aws:username}' },
    { Sid: 'AllowManageOwnGitCredentials', Effect: 'Allow', Action: ['iam:CreateServiceSpecificCredential', 'iam:DeleteServiceSpecificCredential', 'iam:ListServiceSpecificCredentials', 'iam:ResetServiceSpecificCredential', 'iam:UpdateServiceSpecificCredential'], Resource: 'arn:aws:iam::*:user/${aws:username}' },
    { Sid: 'AllowManageOwnVirtualMFADevice', Effect: 'Allow', Action: ['iam:CreateVirtualMFADevice', 'iam:DeleteVirtualMFADevice'], Resource: 'arn:aws:iam::*:mfa/${aws:username}' },
    { Sid: 'AllowManageOwnUserMFA', Effect: 'Allow', Action: ['iam:DeactivateMFADevice', 'iam:EnableMFADevice', 'iam:ListMFADevices', 'iam:ResyncMFADevice'], Resource: 'arn:aws:iam::*:user/${aws:username}' },
    { Sid: 'DenyAllExceptListedIfNoMFA', Effect: 'Deny', NotAction: ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:GetUser', 'iam:ListMFADevices', 'iam:ListVirtualMFADevices', 'iam:ResyncMFADevice', 'sts:GetSessionToken'], Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } },
  ],
} as const;

export const ENFORCEMENT_POLICY_JSON = JSON.stringify(ENFORCEMENT_POLICY, null, 2);
