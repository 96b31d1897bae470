// The AWS-managed policies Gatehouse offers, as data: name, path, ids, default version and document as AWS
// publishes them (arn:aws:iam::aws:policy/...). They are the same for every account, cannot be changed or
// deleted, and only their attachments are stored.
import { arn } from './arn.js';

const doc = (statements) => JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 4);

const CATALOGUE = [
  {
    name: 'AdministratorAccess',
    policyId: 'ANPAIWMBCKSKIEE64ZLYK',
    description: 'Provides full access to AWS services and resources.',
    versionId: 'v1',
    createDate: '2015-02-06T18:39:46Z',
    updateDate: '2015-02-06T18:39:46Z',
    document: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]),
  },
  {
    // AWS's ReadOnlyAccess (v87) lists read actions of some 250 services; Gatehouse keeps only the entries for
    // the services it serves (iam, sts), verbatim. docs/authorization.md says so.
    name: 'ReadOnlyAccess',
    policyId: 'ANPAILL3HVNFSB6DCOWYQ',
    description: 'Provides read-only access to AWS services and resources.',
    versionId: 'v87',
    createDate: '2015-02-06T18:39:48Z',
    updateDate: '2022-05-23T20:16:18Z',
    document: doc([{
      Effect: 'Allow',
      Action: ['iam:Generate*', 'iam:Get*', 'iam:List*', 'iam:Simulate*', 'sts:GetAccessKeyInfo', 'sts:GetCallerIdentity', 'sts:GetSessionToken'],
      Resource: '*',
    }]),
  },
  {
    name: 'IAMReadOnlyAccess',
    policyId: 'ANPAJKSO7NDY4T57MWDSQ',
    description: 'Provides read only access to IAM via the AWS Management Console.',
    versionId: 'v4',
    createDate: '2015-02-06T18:40:39Z',
    updateDate: '2018-01-25T19:11:27Z',
    document: doc([{
      Effect: 'Allow',
      Action: ['iam:GenerateCredentialReport', 'iam:GenerateServiceLastAccessedDetails', 'iam:Get*', 'iam:List*', 'iam:SimulateCustomPolicy', 'iam:SimulatePrincipalPolicy'],
      Resource: '*',
    }]),
  },
  {
    name: 'IAMUserChangePassword',
    policyId: 'ANPAJ4L4MM2A7QIEB56MS',
    description: 'Provides the ability for an IAM user to change their own password.',
    versionId: 'v2',
    createDate: '2016-11-15T00:25:16Z',
    updateDate: '2016-11-15T23:18:55Z',
    document: doc([
      { Effect: 'Allow', Action: ['iam:ChangePassword'], Resource: ['arn:aws:iam::*:user/${aws:username}'] },
      { Effect: 'Allow', Action: ['iam:GetAccountPasswordPolicy'], Resource: '*' },
    ]),
  },
  {
    name: 'IAMFullAccess',
    policyId: 'ANPAI7XKCFMBPM3QQRRVQ',
    description: 'Provides full access to IAM via the AWS Management Console.',
    versionId: 'v2',
    createDate: '2015-02-06T18:40:38Z',
    updateDate: '2019-06-21T19:40:00Z',
    document: doc([{
      Effect: 'Allow',
      Action: ['iam:*', 'organizations:DescribeAccount', 'organizations:DescribeOrganization', 'organizations:DescribeOrganizationalUnit',
        'organizations:DescribePolicy', 'organizations:ListChildren', 'organizations:ListParents', 'organizations:ListPoliciesForTarget',
        'organizations:ListRoots', 'organizations:ListPolicies', 'organizations:ListTargetsForPolicy'],
      Resource: '*',
    }]),
  },
].map((p) => Object.freeze({ ...p, path: '/', arn: arn.awsManagedPolicy(`/${p.name}`) }));

const BY_ARN = new Map(CATALOGUE.map((p) => [p.arn, p]));

export const AWS_MANAGED_POLICIES = Object.freeze(CATALOGUE);
export const awsManagedPolicy = (policyArn) => BY_ARN.get(policyArn) ?? null;
export const isAwsManagedArn = (policyArn) => policyArn.startsWith(arn.awsManagedPolicy('/'));
