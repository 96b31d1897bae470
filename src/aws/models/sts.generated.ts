// Generated from src/aws/models/sts-2011-06-15.json by src/aws/models/generate-types.ts. Do not edit: regenerate.
/* eslint-disable */


export interface AssumeRoleRequest {
  RoleArn: string;
  RoleSessionName: string;
  PolicyArns?: PolicyDescriptorType[];
  Policy?: string;
  DurationSeconds?: number;
  Tags?: Tag[];
  TransitiveTagKeys?: string[];
  ExternalId?: string;
  SerialNumber?: string;
  TokenCode?: string;
  SourceIdentity?: string;
  ProvidedContexts?: ProvidedContext[];
}
export interface AssumeRoleResponse {
  Credentials?: Credentials;
  AssumedRoleUser?: AssumedRoleUser;
  PackedPolicySize?: number;
  SourceIdentity?: string;
}
export interface AssumeRoleWithSAMLRequest {
  RoleArn: string;
  PrincipalArn: string;
  SAMLAssertion: string;
  PolicyArns?: PolicyDescriptorType[];
  Policy?: string;
  DurationSeconds?: number;
}
export interface AssumeRoleWithSAMLResponse {
  Credentials?: Credentials;
  AssumedRoleUser?: AssumedRoleUser;
  PackedPolicySize?: number;
  Subject?: string;
  SubjectType?: string;
  Issuer?: string;
  Audience?: string;
  NameQualifier?: string;
  SourceIdentity?: string;
}
export interface AssumeRoleWithWebIdentityRequest {
  RoleArn: string;
  RoleSessionName: string;
  WebIdentityToken: string;
  ProviderId?: string;
  PolicyArns?: PolicyDescriptorType[];
  Policy?: string;
  DurationSeconds?: number;
}
export interface AssumeRoleWithWebIdentityResponse {
  Credentials?: Credentials;
  SubjectFromWebIdentityToken?: string;
  AssumedRoleUser?: AssumedRoleUser;
  PackedPolicySize?: number;
  Provider?: string;
  Audience?: string;
  SourceIdentity?: string;
}
export interface AssumeRootRequest {
  TargetPrincipal: string;
  TaskPolicyArn: PolicyDescriptorType;
  DurationSeconds?: number;
}
export interface AssumeRootResponse {
  Credentials?: Credentials;
  SourceIdentity?: string;
}
export interface AssumedRoleUser {
  AssumedRoleId: string;
  Arn: string;
}
export interface Credentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: Date;
}
export interface DecodeAuthorizationMessageRequest {
  EncodedMessage: string;
}
export interface DecodeAuthorizationMessageResponse {
  DecodedMessage?: string;
}
export interface FederatedUser {
  FederatedUserId: string;
  Arn: string;
}
export interface GetAccessKeyInfoRequest {
  AccessKeyId: string;
}
export interface GetAccessKeyInfoResponse {
  Account?: string;
}
export type GetCallerIdentityRequest = Record<string, never>;
export interface GetCallerIdentityResponse {
  UserId?: string;
  Account?: string;
  Arn?: string;
}
export interface GetDelegatedAccessTokenRequest {
  TradeInToken: string;
}
export interface GetDelegatedAccessTokenResponse {
  Credentials?: Credentials;
  PackedPolicySize?: number;
  AssumedPrincipal?: string;
}
export interface GetFederationTokenRequest {
  Name: string;
  Policy?: string;
  PolicyArns?: PolicyDescriptorType[];
  DurationSeconds?: number;
  Tags?: Tag[];
}
export interface GetFederationTokenResponse {
  Credentials?: Credentials;
  FederatedUser?: FederatedUser;
  PackedPolicySize?: number;
}
export interface GetSessionTokenRequest {
  DurationSeconds?: number;
  SerialNumber?: string;
  TokenCode?: string;
}
export interface GetSessionTokenResponse {
  Credentials?: Credentials;
}
export interface GetWebIdentityTokenRequest {
  Audience: string[];
  DurationSeconds?: number;
  SigningAlgorithm: string;
  Tags?: Tag[];
}
export interface GetWebIdentityTokenResponse {
  WebIdentityToken?: string;
  Expiration?: Date;
}
export interface PolicyDescriptorType {
  arn?: string;
}
export interface ProvidedContext {
  ProviderArn?: string;
  ContextAssertion?: string;
}
export interface Tag {
  Key: string;
  Value: string;
}

/** Every operation: its input, its output (an empty record when AWS returns none) and its modeled errors. */
export interface Operations {
  AssumeRole: { input: AssumeRoleRequest; output: AssumeRoleResponse; errors: 'MalformedPolicyDocument' | 'PackedPolicyTooLarge' | 'RegionDisabledException' | 'ExpiredTokenException' };
  AssumeRoleWithSAML: { input: AssumeRoleWithSAMLRequest; output: AssumeRoleWithSAMLResponse; errors: 'MalformedPolicyDocument' | 'PackedPolicyTooLarge' | 'IDPRejectedClaim' | 'InvalidIdentityToken' | 'ExpiredTokenException' | 'RegionDisabledException' };
  AssumeRoleWithWebIdentity: { input: AssumeRoleWithWebIdentityRequest; output: AssumeRoleWithWebIdentityResponse; errors: 'MalformedPolicyDocument' | 'PackedPolicyTooLarge' | 'IDPRejectedClaim' | 'IDPCommunicationError' | 'InvalidIdentityToken' | 'ExpiredTokenException' | 'RegionDisabledException' };
  AssumeRoot: { input: AssumeRootRequest; output: AssumeRootResponse; errors: 'RegionDisabledException' | 'ExpiredTokenException' };
  DecodeAuthorizationMessage: { input: DecodeAuthorizationMessageRequest; output: DecodeAuthorizationMessageResponse; errors: 'InvalidAuthorizationMessageException' };
  GetAccessKeyInfo: { input: GetAccessKeyInfoRequest; output: GetAccessKeyInfoResponse; errors: never };
  GetCallerIdentity: { input: GetCallerIdentityRequest; output: GetCallerIdentityResponse; errors: never };
  GetDelegatedAccessToken: { input: GetDelegatedAccessTokenRequest; output: GetDelegatedAccessTokenResponse; errors: 'ExpiredTradeInTokenException' | 'RegionDisabledException' | 'PackedPolicyTooLarge' };
  GetFederationToken: { input: GetFederationTokenRequest; output: GetFederationTokenResponse; errors: 'MalformedPolicyDocument' | 'PackedPolicyTooLarge' | 'RegionDisabledException' };
  GetSessionToken: { input: GetSessionTokenRequest; output: GetSessionTokenResponse; errors: 'RegionDisabledException' };
  GetWebIdentityToken: { input: GetWebIdentityTokenRequest; output: GetWebIdentityTokenResponse; errors: 'SessionDurationEscalationException' | 'OutboundWebIdentityFederationDisabledException' | 'JWTPayloadSizeExceededException' };
}

export type OperationName = keyof Operations;
