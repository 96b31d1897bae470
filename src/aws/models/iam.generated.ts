// Generated from src/aws/models/iam-2010-05-08.json by src/aws/models/generate-types.ts. Do not edit: regenerate.
/* eslint-disable */

export type AccessAdvisorUsageGranularityType = 'SERVICE_LEVEL' | 'ACTION_LEVEL';
export type ContextKeyTypeEnum = 'string' | 'stringList' | 'numeric' | 'numericList' | 'boolean' | 'booleanList' | 'ip' | 'ipList' | 'binary' | 'binaryList' | 'date' | 'dateList';
export type DeletionTaskStatusType = 'SUCCEEDED' | 'IN_PROGRESS' | 'FAILED' | 'NOT_STARTED';
export type EntityType = 'User' | 'Role' | 'Group' | 'LocalManagedPolicy' | 'AWSManagedPolicy';
export type FeatureType = 'RootCredentialsManagement' | 'RootSessions';
export type PermissionsBoundaryAttachmentType = 'PermissionsBoundaryPolicy' | 'Policy';
export type PolicyEvaluationDecisionType = 'allowed' | 'explicitDeny' | 'implicitDeny';
export type PolicyParameterTypeEnum = 'string' | 'stringList';
export type PolicySourceType = 'user' | 'group' | 'role' | 'aws-managed' | 'user-managed' | 'resource' | 'none';
export type PolicyUsageType = 'PermissionsPolicy' | 'PermissionsBoundary';
export type ReportFormatType = 'text/csv';
export type ReportStateType = 'STARTED' | 'INPROGRESS' | 'COMPLETE';
export type assertionEncryptionModeType = 'Required' | 'Allowed';
export type assignmentStatusType = 'Assigned' | 'Unassigned' | 'Any';
export type encodingType = 'SSH' | 'PEM';
export type globalEndpointTokenVersion = 'v1Token' | 'v2Token';
export type jobStatusType = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
export type permissionCheckResultType = 'ALLOWED' | 'DENIED' | 'UNSURE';
export type permissionCheckStatusType = 'COMPLETE' | 'IN_PROGRESS' | 'FAILED';
export type policyOwnerEntityType = 'USER' | 'ROLE' | 'GROUP';
export type policyScopeType = 'All' | 'AWS' | 'Local';
export type policyType = 'INLINE' | 'MANAGED';
export type sortKeyType = 'SERVICE_NAMESPACE_ASCENDING' | 'SERVICE_NAMESPACE_DESCENDING' | 'LAST_AUTHENTICATED_TIME_ASCENDING' | 'LAST_AUTHENTICATED_TIME_DESCENDING';
export type stateType = 'UNASSIGNED' | 'ASSIGNED' | 'PENDING_APPROVAL' | 'FINALIZED' | 'ACCEPTED' | 'REJECTED' | 'EXPIRED';
export type statusType = 'Active' | 'Inactive' | 'Expired';
export type summaryKeyType = 'Users' | 'UsersQuota' | 'Groups' | 'GroupsQuota' | 'ServerCertificates' | 'ServerCertificatesQuota' | 'UserPolicySizeQuota' | 'GroupPolicySizeQuota' | 'GroupsPerUserQuota' | 'SigningCertificatesPerUserQuota' | 'AccessKeysPerUserQuota' | 'MFADevices' | 'MFADevicesInUse' | 'AccountMFAEnabled' | 'AccountAccessKeysPresent' | 'AccountPasswordPresent' | 'AccountSigningCertificatesPresent' | 'AttachedPoliciesPerGroupQuota' | 'AttachedPoliciesPerRoleQuota' | 'AttachedPoliciesPerUserQuota' | 'Policies' | 'PoliciesQuota' | 'PolicySizeQuota' | 'PolicyVersionsInUse' | 'PolicyVersionsInUseQuota' | 'VersionsPerPolicyQuota' | 'GlobalEndpointTokenVersion' | 'AssumeRolePolicySizeQuota' | 'InstanceProfiles' | 'InstanceProfilesQuota' | 'Providers' | 'RolePolicySizeQuota' | 'Roles' | 'RolesQuota';
export type summaryStateType = 'AVAILABLE' | 'NOT_AVAILABLE' | 'NOT_SUPPORTED' | 'FAILED';

export interface AcceptDelegationRequestRequest {
  DelegationRequestId: string;
}
export interface AccessDetail {
  ServiceName: string;
  ServiceNamespace: string;
  Region?: string;
  EntityPath?: string;
  LastAuthenticatedTime?: Date;
  TotalAuthenticatedEntities?: number;
}
export interface AccessKey {
  UserName: string;
  AccessKeyId: string;
  Status: statusType;
  SecretAccessKey: string;
  CreateDate?: Date;
}
export interface AccessKeyLastUsed {
  LastUsedDate?: Date;
  ServiceName: string;
  Region: string;
}
export interface AccessKeyMetadata {
  UserName?: string;
  AccessKeyId?: string;
  Status?: statusType;
  CreateDate?: Date;
}
export interface AddClientIDToOpenIDConnectProviderRequest {
  OpenIDConnectProviderArn: string;
  ClientID: string;
}
export interface AddRoleToInstanceProfileRequest {
  InstanceProfileName: string;
  RoleName: string;
}
export interface AddUserToGroupRequest {
  GroupName: string;
  UserName: string;
}
export interface AssociateDelegationRequestRequest {
  DelegationRequestId: string;
}
export interface AttachGroupPolicyRequest {
  GroupName: string;
  PolicyArn: string;
}
export interface AttachRolePolicyRequest {
  RoleName: string;
  PolicyArn: string;
}
export interface AttachUserPolicyRequest {
  UserName: string;
  PolicyArn: string;
}
export interface AttachedPermissionsBoundary {
  PermissionsBoundaryType?: PermissionsBoundaryAttachmentType;
  PermissionsBoundaryArn?: string;
}
export interface AttachedPolicy {
  PolicyName?: string;
  PolicyArn?: string;
}
export interface ChangePasswordRequest {
  OldPassword: string;
  NewPassword: string;
}
export interface ContextEntry {
  ContextKeyName?: string;
  ContextKeyValues?: string[];
  ContextKeyType?: ContextKeyTypeEnum;
}
export interface CreateAccessKeyRequest {
  UserName?: string;
}
export interface CreateAccessKeyResponse {
  AccessKey: AccessKey;
}
export interface CreateAccountAliasRequest {
  AccountAlias: string;
}
export interface CreateDelegationRequestRequest {
  OwnerAccountId?: string;
  Description: string;
  Permissions: DelegationPermission;
  RequestMessage?: string;
  RequestorWorkflowId: string;
  RedirectUrl?: string;
  NotificationChannel: string;
  SessionDuration: number;
  OnlySendByOwner?: boolean;
}
export interface CreateDelegationRequestResponse {
  ConsoleDeepLink?: string;
  DelegationRequestId?: string;
}
export interface CreateGroupRequest {
  Path?: string;
  GroupName: string;
}
export interface CreateGroupResponse {
  Group: Group;
}
export interface CreateInstanceProfileRequest {
  InstanceProfileName: string;
  Path?: string;
  Tags?: Tag[];
}
export interface CreateInstanceProfileResponse {
  InstanceProfile: InstanceProfile;
}
export interface CreateLoginProfileRequest {
  UserName?: string;
  Password?: string;
  PasswordResetRequired?: boolean;
}
export interface CreateLoginProfileResponse {
  LoginProfile: LoginProfile;
}
export interface CreateOpenIDConnectProviderRequest {
  Url: string;
  ClientIDList?: string[];
  ThumbprintList?: string[];
  Tags?: Tag[];
}
export interface CreateOpenIDConnectProviderResponse {
  OpenIDConnectProviderArn?: string;
  Tags?: Tag[];
}
export interface CreatePolicyRequest {
  PolicyName: string;
  Path?: string;
  PolicyDocument: string;
  Description?: string;
  Tags?: Tag[];
}
export interface CreatePolicyResponse {
  Policy?: Policy;
}
export interface CreatePolicyVersionRequest {
  PolicyArn: string;
  PolicyDocument: string;
  SetAsDefault?: boolean;
}
export interface CreatePolicyVersionResponse {
  PolicyVersion?: PolicyVersion;
}
export interface CreateRoleRequest {
  Path?: string;
  RoleName: string;
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration?: number;
  PermissionsBoundary?: string;
  Tags?: Tag[];
}
export interface CreateRoleResponse {
  Role: Role;
}
export interface CreateSAMLProviderRequest {
  SAMLMetadataDocument: string;
  Name: string;
  Tags?: Tag[];
  AssertionEncryptionMode?: assertionEncryptionModeType;
  AddPrivateKey?: string;
}
export interface CreateSAMLProviderResponse {
  SAMLProviderArn?: string;
  Tags?: Tag[];
}
export interface CreateServiceLinkedRoleRequest {
  AWSServiceName: string;
  Description?: string;
  CustomSuffix?: string;
}
export interface CreateServiceLinkedRoleResponse {
  Role?: Role;
}
export interface CreateServiceSpecificCredentialRequest {
  UserName: string;
  ServiceName: string;
  CredentialAgeDays?: number;
}
export interface CreateServiceSpecificCredentialResponse {
  ServiceSpecificCredential?: ServiceSpecificCredential;
}
export interface CreateUserRequest {
  Path?: string;
  UserName: string;
  PermissionsBoundary?: string;
  Tags?: Tag[];
}
export interface CreateUserResponse {
  User?: User;
}
export interface CreateVirtualMFADeviceRequest {
  Path?: string;
  VirtualMFADeviceName: string;
  Tags?: Tag[];
}
export interface CreateVirtualMFADeviceResponse {
  VirtualMFADevice: VirtualMFADevice;
}
export interface DeactivateMFADeviceRequest {
  UserName?: string;
  SerialNumber: string;
}
export interface DelegationPermission {
  PolicyTemplateArn?: string;
  Parameters?: PolicyParameter[];
}
export interface DelegationRequest {
  DelegationRequestId?: string;
  OwnerAccountId?: string;
  Description?: string;
  RequestMessage?: string;
  Permissions?: DelegationPermission;
  PermissionPolicy?: string;
  RolePermissionRestrictionArns?: string[];
  OwnerId?: string;
  ApproverId?: string;
  State?: stateType;
  ExpirationTime?: Date;
  RequestorId?: string;
  RequestorName?: string;
  CreateDate?: Date;
  SessionDuration?: number;
  RedirectUrl?: string;
  Notes?: string;
  RejectionReason?: string;
  OnlySendByOwner?: boolean;
  UpdatedTime?: Date;
}
export interface DeleteAccessKeyRequest {
  UserName?: string;
  AccessKeyId: string;
}
export interface DeleteAccountAliasRequest {
  AccountAlias: string;
}
export interface DeleteGroupPolicyRequest {
  GroupName: string;
  PolicyName: string;
}
export interface DeleteGroupRequest {
  GroupName: string;
}
export interface DeleteInstanceProfileRequest {
  InstanceProfileName: string;
}
export interface DeleteLoginProfileRequest {
  UserName?: string;
}
export interface DeleteOpenIDConnectProviderRequest {
  OpenIDConnectProviderArn: string;
}
export interface DeletePolicyRequest {
  PolicyArn: string;
}
export interface DeletePolicyVersionRequest {
  PolicyArn: string;
  VersionId: string;
}
export interface DeleteRolePermissionsBoundaryRequest {
  RoleName: string;
}
export interface DeleteRolePolicyRequest {
  RoleName: string;
  PolicyName: string;
}
export interface DeleteRoleRequest {
  RoleName: string;
}
export interface DeleteSAMLProviderRequest {
  SAMLProviderArn: string;
}
export interface DeleteSSHPublicKeyRequest {
  UserName: string;
  SSHPublicKeyId: string;
}
export interface DeleteServerCertificateRequest {
  ServerCertificateName: string;
}
export interface DeleteServiceLinkedRoleRequest {
  RoleName: string;
}
export interface DeleteServiceLinkedRoleResponse {
  DeletionTaskId: string;
}
export interface DeleteServiceSpecificCredentialRequest {
  UserName?: string;
  ServiceSpecificCredentialId: string;
}
export interface DeleteSigningCertificateRequest {
  UserName?: string;
  CertificateId: string;
}
export interface DeleteUserPermissionsBoundaryRequest {
  UserName: string;
}
export interface DeleteUserPolicyRequest {
  UserName: string;
  PolicyName: string;
}
export interface DeleteUserRequest {
  UserName: string;
}
export interface DeleteVirtualMFADeviceRequest {
  SerialNumber: string;
}
export interface DeletionTaskFailureReasonType {
  Reason?: string;
  RoleUsageList?: RoleUsageType[];
}
export interface DetachGroupPolicyRequest {
  GroupName: string;
  PolicyArn: string;
}
export interface DetachRolePolicyRequest {
  RoleName: string;
  PolicyArn: string;
}
export interface DetachUserPolicyRequest {
  UserName: string;
  PolicyArn: string;
}
export type DisableOrganizationsRootCredentialsManagementRequest = Record<string, never>;
export interface DisableOrganizationsRootCredentialsManagementResponse {
  OrganizationId?: string;
  EnabledFeatures?: FeatureType[];
}
export type DisableOrganizationsRootSessionsRequest = Record<string, never>;
export interface DisableOrganizationsRootSessionsResponse {
  OrganizationId?: string;
  EnabledFeatures?: FeatureType[];
}
export interface EnableMFADeviceRequest {
  UserName: string;
  SerialNumber: string;
  AuthenticationCode1: string;
  AuthenticationCode2: string;
}
export type EnableOrganizationsRootCredentialsManagementRequest = Record<string, never>;
export interface EnableOrganizationsRootCredentialsManagementResponse {
  OrganizationId?: string;
  EnabledFeatures?: FeatureType[];
}
export type EnableOrganizationsRootSessionsRequest = Record<string, never>;
export interface EnableOrganizationsRootSessionsResponse {
  OrganizationId?: string;
  EnabledFeatures?: FeatureType[];
}
export interface EnableOutboundWebIdentityFederationResponse {
  IssuerIdentifier?: string;
}
export interface EntityDetails {
  EntityInfo: EntityInfo;
  LastAuthenticated?: Date;
}
export interface EntityInfo {
  Arn: string;
  Name: string;
  Type: policyOwnerEntityType;
  Id: string;
  Path?: string;
}
export interface ErrorDetails {
  Message: string;
  Code: string;
}
export interface EvaluationResult {
  EvalActionName: string;
  EvalResourceName?: string;
  EvalDecision: PolicyEvaluationDecisionType;
  MatchedStatements?: Statement[];
  MissingContextValues?: string[];
  OrganizationsDecisionDetail?: OrganizationsDecisionDetail;
  PermissionsBoundaryDecisionDetail?: PermissionsBoundaryDecisionDetail;
  EvalDecisionDetails?: Record<string, PolicyEvaluationDecisionType>;
  ResourceSpecificResults?: ResourceSpecificResult[];
}
export interface GenerateCredentialReportResponse {
  State?: ReportStateType;
  Description?: string;
}
export interface GenerateOrganizationsAccessReportRequest {
  EntityPath: string;
  OrganizationsPolicyId?: string;
}
export interface GenerateOrganizationsAccessReportResponse {
  JobId?: string;
}
export interface GenerateServiceLastAccessedDetailsRequest {
  Arn: string;
  Granularity?: AccessAdvisorUsageGranularityType;
}
export interface GenerateServiceLastAccessedDetailsResponse {
  JobId?: string;
}
export interface GetAccessKeyLastUsedRequest {
  AccessKeyId: string;
}
export interface GetAccessKeyLastUsedResponse {
  UserName?: string;
  AccessKeyLastUsed?: AccessKeyLastUsed;
}
export interface GetAccountAuthorizationDetailsRequest {
  Filter?: EntityType[];
  MaxItems?: number;
  Marker?: string;
}
export interface GetAccountAuthorizationDetailsResponse {
  UserDetailList?: UserDetail[];
  GroupDetailList?: GroupDetail[];
  RoleDetailList?: RoleDetail[];
  Policies?: ManagedPolicyDetail[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface GetAccountPasswordPolicyResponse {
  PasswordPolicy: PasswordPolicy;
}
export interface GetAccountSummaryResponse {
  SummaryMap?: Partial<Record<summaryKeyType, number>>;
}
export interface GetContextKeysForCustomPolicyRequest {
  PolicyInputList: string[];
}
export interface GetContextKeysForPolicyResponse {
  ContextKeyNames?: string[];
}
export interface GetContextKeysForPrincipalPolicyRequest {
  PolicySourceArn: string;
  PolicyInputList?: string[];
}
export interface GetCredentialReportResponse {
  Content?: Uint8Array;
  ReportFormat?: ReportFormatType;
  GeneratedTime?: Date;
}
export interface GetDelegationRequestRequest {
  DelegationRequestId: string;
  DelegationPermissionCheck?: boolean;
}
export interface GetDelegationRequestResponse {
  DelegationRequest?: DelegationRequest;
  PermissionCheckStatus?: permissionCheckStatusType;
  PermissionCheckResult?: permissionCheckResultType;
}
export interface GetGroupPolicyRequest {
  GroupName: string;
  PolicyName: string;
}
export interface GetGroupPolicyResponse {
  GroupName: string;
  PolicyName: string;
  PolicyDocument: string;
}
export interface GetGroupRequest {
  GroupName: string;
  Marker?: string;
  MaxItems?: number;
}
export interface GetGroupResponse {
  Group: Group;
  Users: User[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface GetHumanReadableSummaryRequest {
  EntityArn: string;
  Locale?: string;
}
export interface GetHumanReadableSummaryResponse {
  SummaryContent?: string;
  Locale?: string;
  SummaryState?: summaryStateType;
}
export interface GetInstanceProfileRequest {
  InstanceProfileName: string;
}
export interface GetInstanceProfileResponse {
  InstanceProfile: InstanceProfile;
}
export interface GetLoginProfileRequest {
  UserName?: string;
}
export interface GetLoginProfileResponse {
  LoginProfile: LoginProfile;
}
export interface GetMFADeviceRequest {
  SerialNumber: string;
  UserName?: string;
}
export interface GetMFADeviceResponse {
  UserName?: string;
  SerialNumber: string;
  EnableDate?: Date;
  Certifications?: Record<string, string>;
}
export interface GetOpenIDConnectProviderRequest {
  OpenIDConnectProviderArn: string;
}
export interface GetOpenIDConnectProviderResponse {
  Url?: string;
  ClientIDList?: string[];
  ThumbprintList?: string[];
  CreateDate?: Date;
  Tags?: Tag[];
}
export interface GetOrganizationsAccessReportRequest {
  JobId: string;
  MaxItems?: number;
  Marker?: string;
  SortKey?: sortKeyType;
}
export interface GetOrganizationsAccessReportResponse {
  JobStatus: jobStatusType;
  JobCreationDate: Date;
  JobCompletionDate?: Date;
  NumberOfServicesAccessible?: number;
  NumberOfServicesNotAccessed?: number;
  AccessDetails?: AccessDetail[];
  IsTruncated?: boolean;
  Marker?: string;
  ErrorDetails?: ErrorDetails;
}
export interface GetOutboundWebIdentityFederationInfoResponse {
  IssuerIdentifier?: string;
  JwtVendingEnabled?: boolean;
}
export interface GetPolicyRequest {
  PolicyArn: string;
}
export interface GetPolicyResponse {
  Policy?: Policy;
}
export interface GetPolicyVersionRequest {
  PolicyArn: string;
  VersionId: string;
}
export interface GetPolicyVersionResponse {
  PolicyVersion?: PolicyVersion;
}
export interface GetRolePolicyRequest {
  RoleName: string;
  PolicyName: string;
}
export interface GetRolePolicyResponse {
  RoleName: string;
  PolicyName: string;
  PolicyDocument: string;
}
export interface GetRoleRequest {
  RoleName: string;
}
export interface GetRoleResponse {
  Role: Role;
}
export interface GetSAMLProviderRequest {
  SAMLProviderArn: string;
}
export interface GetSAMLProviderResponse {
  SAMLProviderUUID?: string;
  SAMLMetadataDocument?: string;
  CreateDate?: Date;
  ValidUntil?: Date;
  Tags?: Tag[];
  AssertionEncryptionMode?: assertionEncryptionModeType;
  PrivateKeyList?: SAMLPrivateKey[];
}
export interface GetSSHPublicKeyRequest {
  UserName: string;
  SSHPublicKeyId: string;
  Encoding: encodingType;
}
export interface GetSSHPublicKeyResponse {
  SSHPublicKey?: SSHPublicKey;
}
export interface GetServerCertificateRequest {
  ServerCertificateName: string;
}
export interface GetServerCertificateResponse {
  ServerCertificate: ServerCertificate;
}
export interface GetServiceLastAccessedDetailsRequest {
  JobId: string;
  MaxItems?: number;
  Marker?: string;
}
export interface GetServiceLastAccessedDetailsResponse {
  JobStatus: jobStatusType;
  JobType?: AccessAdvisorUsageGranularityType;
  JobCreationDate: Date;
  ServicesLastAccessed: ServiceLastAccessed[];
  JobCompletionDate: Date;
  IsTruncated?: boolean;
  Marker?: string;
  Error?: ErrorDetails;
}
export interface GetServiceLastAccessedDetailsWithEntitiesRequest {
  JobId: string;
  ServiceNamespace: string;
  MaxItems?: number;
  Marker?: string;
}
export interface GetServiceLastAccessedDetailsWithEntitiesResponse {
  JobStatus: jobStatusType;
  JobCreationDate: Date;
  JobCompletionDate: Date;
  EntityDetailsList: EntityDetails[];
  IsTruncated?: boolean;
  Marker?: string;
  Error?: ErrorDetails;
}
export interface GetServiceLinkedRoleDeletionStatusRequest {
  DeletionTaskId: string;
}
export interface GetServiceLinkedRoleDeletionStatusResponse {
  Status: DeletionTaskStatusType;
  Reason?: DeletionTaskFailureReasonType;
}
export interface GetUserPolicyRequest {
  UserName: string;
  PolicyName: string;
}
export interface GetUserPolicyResponse {
  UserName: string;
  PolicyName: string;
  PolicyDocument: string;
}
export interface GetUserRequest {
  UserName?: string;
}
export interface GetUserResponse {
  User: User;
}
export interface Group {
  Path: string;
  GroupName: string;
  GroupId: string;
  Arn: string;
  CreateDate: Date;
}
export interface GroupDetail {
  Path?: string;
  GroupName?: string;
  GroupId?: string;
  Arn?: string;
  CreateDate?: Date;
  GroupPolicyList?: PolicyDetail[];
  AttachedManagedPolicies?: AttachedPolicy[];
}
export interface InstanceProfile {
  Path: string;
  InstanceProfileName: string;
  InstanceProfileId: string;
  Arn: string;
  CreateDate: Date;
  Roles: Role[];
  Tags?: Tag[];
}
export interface ListAccessKeysRequest {
  UserName?: string;
  Marker?: string;
  MaxItems?: number;
}
export interface ListAccessKeysResponse {
  AccessKeyMetadata: AccessKeyMetadata[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface ListAccountAliasesRequest {
  Marker?: string;
  MaxItems?: number;
}
export interface ListAccountAliasesResponse {
  AccountAliases: string[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface ListAttachedGroupPoliciesRequest {
  GroupName: string;
  PathPrefix?: string;
  Marker?: string;
  MaxItems?: number;
}
export interface ListAttachedGroupPoliciesResponse {
  AttachedPolicies?: AttachedPolicy[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface ListAttachedRolePoliciesRequest {
  RoleName: string;
  PathPrefix?: string;
  Marker?: string;
  MaxItems?: number;
}
export interface ListAttachedRolePoliciesResponse {
  AttachedPolicies?: AttachedPolicy[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface ListAttachedUserPoliciesRequest {
  UserName: string;
  PathPrefix?: string;
  Marker?: string;
  MaxItems?: number;
}
export interface ListAttachedUserPoliciesResponse {
  AttachedPolicies?: AttachedPolicy[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface ListDelegationRequestsRequest {
  OwnerId?: string;
  Marker?: string;
  MaxItems?: number;
}
export interface ListDelegationRequestsResponse {
  DelegationRequests?: DelegationRequest[];
  Marker?: string;
  isTruncated?: boolean;
}
export interface ListEntitiesForPolicyRequest {
  PolicyArn: string;
  EntityFilter?: EntityType;
  PathPrefix?: string;
  PolicyUsageFilter?: PolicyUsageType;
  Marker?: string;
  MaxItems?: number;
}
export interface ListEntitiesForPolicyResponse {
  PolicyGroups?: PolicyGroup[];
  PolicyUsers?: PolicyUser[];
  PolicyRoles?: PolicyRole[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface ListGroupPoliciesRequest {
  GroupName: string;
  Marker?: string;
  MaxItems?: number;
}
export interface ListGroupPoliciesResponse {
  PolicyNames: string[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface ListGroupsForUserRequest {
  UserName: string;
  Marker?: string;
  MaxItems?: number;
}
export interface ListGroupsForUserResponse {
  Groups: Group[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface ListGroupsRequest {
  PathPrefix?: string;
  Marker?: string;
  MaxItems?: number;
}
export interface ListGroupsResponse {
  Groups: Group[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface ListInstanceProfileTagsRequest {
  InstanceProfileName: string;
  Marker?: string;
  MaxItems?: number;
}
export interface ListInstanceProfileTagsResponse {
  Tags: Tag[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface ListInstanceProfilesForRoleRequest {
  RoleName: string;
  Marker?: string;
  MaxItems?: number;
}
export interface ListInstanceProfilesForRoleResponse {
  InstanceProfiles: InstanceProfile[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface ListInstanceProfilesRequest {
  PathPrefix?: string;
  Marker?: string;
  MaxItems?: number;
}
export interface ListInstanceProfilesResponse {
  InstanceProfiles: InstanceProfile[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface ListMFADeviceTagsRequest {
  SerialNumber: string;
  Marker?: string;
  MaxItems?: number;
}
export interface ListMFADeviceTagsResponse {
  Tags: Tag[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface ListMFADevicesRequest {
  UserName?: string;
  Marker?: string;
  MaxItems?: number;
}
export interface ListMFADevicesResponse {
  MFADevices: MFADevice[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface ListOpenIDConnectProviderTagsRequest {
  OpenIDConnectProviderArn: string;
  Marker?: string;
  MaxItems?: number;
}
export interface ListOpenIDConnectProviderTagsResponse {
  Tags: Tag[];
  IsTruncated?: boolean;
  Marker?: string;
}
export type ListOpenIDConnectProvidersRequest = Record<string, never>;
export interface ListOpenIDConnectProvidersResponse {
  OpenIDConnectProviderList?: OpenIDConnectProviderListEntry[];
}
export type ListOrganizationsFeaturesRequest = Record<string, never>;
export interface ListOrganizationsFeaturesResponse {
  OrganizationId?: string;
  EnabledFeatures?: FeatureType[];
}
export interface ListPoliciesGrantingServiceAccessEntry {
  ServiceNamespace?: string;
  Policies?: PolicyGrantingServiceAccess[];
}
export interface ListPoliciesGrantingServiceAccessRequest {
  Marker?: string;
  Arn: string;
  ServiceNamespaces: string[];
}
export interface ListPoliciesGrantingServiceAccessResponse {
  PoliciesGrantingServiceAccess: ListPoliciesGrantingServiceAccessEntry[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface ListPoliciesRequest {
  Scope?: policyScopeType;
  OnlyAttached?: boolean;
  PathPrefix?: string;
  PolicyUsageFilter?: PolicyUsageType;
  Marker?: string;
  MaxItems?: number;
}
export interface ListPoliciesResponse {
  Policies?: Policy[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface ListPolicyTagsRequest {
  PolicyArn: string;
  Marker?: string;
  MaxItems?: number;
}
export interface ListPolicyTagsResponse {
  Tags: Tag[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface ListPolicyVersionsRequest {
  PolicyArn: string;
  Marker?: string;
  MaxItems?: number;
}
export interface ListPolicyVersionsResponse {
  Versions?: PolicyVersion[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface ListRolePoliciesRequest {
  RoleName: string;
  Marker?: string;
  MaxItems?: number;
}
export interface ListRolePoliciesResponse {
  PolicyNames: string[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface ListRoleTagsRequest {
  RoleName: string;
  Marker?: string;
  MaxItems?: number;
}
export interface ListRoleTagsResponse {
  Tags: Tag[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface ListRolesRequest {
  PathPrefix?: string;
  Marker?: string;
  MaxItems?: number;
}
export interface ListRolesResponse {
  Roles: Role[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface ListSAMLProviderTagsRequest {
  SAMLProviderArn: string;
  Marker?: string;
  MaxItems?: number;
}
export interface ListSAMLProviderTagsResponse {
  Tags: Tag[];
  IsTruncated?: boolean;
  Marker?: string;
}
export type ListSAMLProvidersRequest = Record<string, never>;
export interface ListSAMLProvidersResponse {
  SAMLProviderList?: SAMLProviderListEntry[];
}
export interface ListSSHPublicKeysRequest {
  UserName?: string;
  Marker?: string;
  MaxItems?: number;
}
export interface ListSSHPublicKeysResponse {
  SSHPublicKeys?: SSHPublicKeyMetadata[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface ListServerCertificateTagsRequest {
  ServerCertificateName: string;
  Marker?: string;
  MaxItems?: number;
}
export interface ListServerCertificateTagsResponse {
  Tags: Tag[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface ListServerCertificatesRequest {
  PathPrefix?: string;
  Marker?: string;
  MaxItems?: number;
}
export interface ListServerCertificatesResponse {
  ServerCertificateMetadataList: ServerCertificateMetadata[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface ListServiceSpecificCredentialsRequest {
  UserName?: string;
  ServiceName?: string;
  AllUsers?: boolean;
  Marker?: string;
  MaxItems?: number;
}
export interface ListServiceSpecificCredentialsResponse {
  ServiceSpecificCredentials?: ServiceSpecificCredentialMetadata[];
  Marker?: string;
  IsTruncated?: boolean;
}
export interface ListSigningCertificatesRequest {
  UserName?: string;
  Marker?: string;
  MaxItems?: number;
}
export interface ListSigningCertificatesResponse {
  Certificates: SigningCertificate[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface ListUserPoliciesRequest {
  UserName: string;
  Marker?: string;
  MaxItems?: number;
}
export interface ListUserPoliciesResponse {
  PolicyNames: string[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface ListUserTagsRequest {
  UserName: string;
  Marker?: string;
  MaxItems?: number;
}
export interface ListUserTagsResponse {
  Tags: Tag[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface ListUsersRequest {
  PathPrefix?: string;
  Marker?: string;
  MaxItems?: number;
}
export interface ListUsersResponse {
  Users: User[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface ListVirtualMFADevicesRequest {
  AssignmentStatus?: assignmentStatusType;
  Marker?: string;
  MaxItems?: number;
}
export interface ListVirtualMFADevicesResponse {
  VirtualMFADevices: VirtualMFADevice[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface LoginProfile {
  UserName: string;
  CreateDate: Date;
  PasswordResetRequired?: boolean;
}
export interface MFADevice {
  UserName: string;
  SerialNumber: string;
  EnableDate: Date;
}
export interface ManagedPolicyDetail {
  PolicyName?: string;
  PolicyId?: string;
  Arn?: string;
  Path?: string;
  DefaultVersionId?: string;
  AttachmentCount?: number;
  PermissionsBoundaryUsageCount?: number;
  IsAttachable?: boolean;
  Description?: string;
  CreateDate?: Date;
  UpdateDate?: Date;
  PolicyVersionList?: PolicyVersion[];
}
export interface OpenIDConnectProviderListEntry {
  Arn?: string;
}
export interface OrganizationsDecisionDetail {
  AllowedByOrganizations?: boolean;
}
export interface PasswordPolicy {
  MinimumPasswordLength?: number;
  RequireSymbols?: boolean;
  RequireNumbers?: boolean;
  RequireUppercaseCharacters?: boolean;
  RequireLowercaseCharacters?: boolean;
  AllowUsersToChangePassword?: boolean;
  ExpirePasswords?: boolean;
  MaxPasswordAge?: number;
  PasswordReusePrevention?: number;
  HardExpiry?: boolean;
}
export interface PermissionsBoundaryDecisionDetail {
  AllowedByPermissionsBoundary?: boolean;
}
export interface Policy {
  PolicyName?: string;
  PolicyId?: string;
  Arn?: string;
  Path?: string;
  DefaultVersionId?: string;
  AttachmentCount?: number;
  PermissionsBoundaryUsageCount?: number;
  IsAttachable?: boolean;
  Description?: string;
  CreateDate?: Date;
  UpdateDate?: Date;
  Tags?: Tag[];
}
export interface PolicyDetail {
  PolicyName?: string;
  PolicyDocument?: string;
}
export interface PolicyGrantingServiceAccess {
  PolicyName: string;
  PolicyType: policyType;
  PolicyArn?: string;
  EntityType?: policyOwnerEntityType;
  EntityName?: string;
}
export interface PolicyGroup {
  GroupName?: string;
  GroupId?: string;
}
export interface PolicyParameter {
  Name?: string;
  Values?: string[];
  Type?: PolicyParameterTypeEnum;
}
export interface PolicyRole {
  RoleName?: string;
  RoleId?: string;
}
export interface PolicyUser {
  UserName?: string;
  UserId?: string;
}
export interface PolicyVersion {
  Document?: string;
  VersionId?: string;
  IsDefaultVersion?: boolean;
  CreateDate?: Date;
}
export interface Position {
  Line?: number;
  Column?: number;
}
export interface PutGroupPolicyRequest {
  GroupName: string;
  PolicyName: string;
  PolicyDocument: string;
}
export interface PutRolePermissionsBoundaryRequest {
  RoleName: string;
  PermissionsBoundary: string;
}
export interface PutRolePolicyRequest {
  RoleName: string;
  PolicyName: string;
  PolicyDocument: string;
}
export interface PutUserPermissionsBoundaryRequest {
  UserName: string;
  PermissionsBoundary: string;
}
export interface PutUserPolicyRequest {
  UserName: string;
  PolicyName: string;
  PolicyDocument: string;
}
export interface RejectDelegationRequestRequest {
  DelegationRequestId: string;
  Notes?: string;
}
export interface RemoveClientIDFromOpenIDConnectProviderRequest {
  OpenIDConnectProviderArn: string;
  ClientID: string;
}
export interface RemoveRoleFromInstanceProfileRequest {
  InstanceProfileName: string;
  RoleName: string;
}
export interface RemoveUserFromGroupRequest {
  GroupName: string;
  UserName: string;
}
export interface ResetServiceSpecificCredentialRequest {
  UserName?: string;
  ServiceSpecificCredentialId: string;
}
export interface ResetServiceSpecificCredentialResponse {
  ServiceSpecificCredential?: ServiceSpecificCredential;
}
export interface ResourceSpecificResult {
  EvalResourceName: string;
  EvalResourceDecision: PolicyEvaluationDecisionType;
  MatchedStatements?: Statement[];
  MissingContextValues?: string[];
  EvalDecisionDetails?: Record<string, PolicyEvaluationDecisionType>;
  PermissionsBoundaryDecisionDetail?: PermissionsBoundaryDecisionDetail;
}
export interface ResyncMFADeviceRequest {
  UserName: string;
  SerialNumber: string;
  AuthenticationCode1: string;
  AuthenticationCode2: string;
}
export interface Role {
  Path: string;
  RoleName: string;
  RoleId: string;
  Arn: string;
  CreateDate: Date;
  AssumeRolePolicyDocument?: string;
  Description?: string;
  MaxSessionDuration?: number;
  PermissionsBoundary?: AttachedPermissionsBoundary;
  Tags?: Tag[];
  RoleLastUsed?: RoleLastUsed;
}
export interface RoleDetail {
  Path?: string;
  RoleName?: string;
  RoleId?: string;
  Arn?: string;
  CreateDate?: Date;
  AssumeRolePolicyDocument?: string;
  InstanceProfileList?: InstanceProfile[];
  RolePolicyList?: PolicyDetail[];
  AttachedManagedPolicies?: AttachedPolicy[];
  PermissionsBoundary?: AttachedPermissionsBoundary;
  Tags?: Tag[];
  RoleLastUsed?: RoleLastUsed;
}
export interface RoleLastUsed {
  LastUsedDate?: Date;
  Region?: string;
}
export interface RoleUsageType {
  Region?: string;
  Resources?: string[];
}
export interface SAMLPrivateKey {
  KeyId?: string;
  Timestamp?: Date;
}
export interface SAMLProviderListEntry {
  Arn?: string;
  ValidUntil?: Date;
  CreateDate?: Date;
}
export interface SSHPublicKey {
  UserName: string;
  SSHPublicKeyId: string;
  Fingerprint: string;
  SSHPublicKeyBody: string;
  Status: statusType;
  UploadDate?: Date;
}
export interface SSHPublicKeyMetadata {
  UserName: string;
  SSHPublicKeyId: string;
  Status: statusType;
  UploadDate: Date;
}
export interface SendDelegationTokenRequest {
  DelegationRequestId: string;
}
export interface ServerCertificate {
  ServerCertificateMetadata: ServerCertificateMetadata;
  CertificateBody: string;
  CertificateChain?: string;
  Tags?: Tag[];
}
export interface ServerCertificateMetadata {
  Path: string;
  ServerCertificateName: string;
  ServerCertificateId: string;
  Arn: string;
  UploadDate?: Date;
  Expiration?: Date;
}
export interface ServiceLastAccessed {
  ServiceName: string;
  LastAuthenticated?: Date;
  ServiceNamespace: string;
  LastAuthenticatedEntity?: string;
  LastAuthenticatedRegion?: string;
  TotalAuthenticatedEntities?: number;
  TrackedActionsLastAccessed?: TrackedActionLastAccessed[];
}
export interface ServiceSpecificCredential {
  CreateDate: Date;
  ExpirationDate?: Date;
  ServiceName: string;
  ServiceUserName?: string;
  ServicePassword?: string;
  ServiceCredentialAlias?: string;
  ServiceCredentialSecret?: string;
  ServiceSpecificCredentialId: string;
  UserName: string;
  Status: statusType;
}
export interface ServiceSpecificCredentialMetadata {
  UserName: string;
  Status: statusType;
  ServiceUserName?: string;
  ServiceCredentialAlias?: string;
  CreateDate: Date;
  ExpirationDate?: Date;
  ServiceSpecificCredentialId: string;
  ServiceName: string;
}
export interface SetDefaultPolicyVersionRequest {
  PolicyArn: string;
  VersionId: string;
}
export interface SetSecurityTokenServicePreferencesRequest {
  GlobalEndpointTokenVersion: globalEndpointTokenVersion;
}
export interface SigningCertificate {
  UserName: string;
  CertificateId: string;
  CertificateBody: string;
  Status: statusType;
  UploadDate?: Date;
}
export interface SimulateCustomPolicyRequest {
  PolicyInputList: string[];
  PermissionsBoundaryPolicyInputList?: string[];
  ActionNames: string[];
  ResourceArns?: string[];
  ResourcePolicy?: string;
  ResourceOwner?: string;
  CallerArn?: string;
  ContextEntries?: ContextEntry[];
  ResourceHandlingOption?: string;
  MaxItems?: number;
  Marker?: string;
}
export interface SimulatePolicyResponse {
  EvaluationResults?: EvaluationResult[];
  IsTruncated?: boolean;
  Marker?: string;
}
export interface SimulatePrincipalPolicyRequest {
  PolicySourceArn: string;
  PolicyInputList?: string[];
  PermissionsBoundaryPolicyInputList?: string[];
  ActionNames: string[];
  ResourceArns?: string[];
  ResourcePolicy?: string;
  ResourceOwner?: string;
  CallerArn?: string;
  ContextEntries?: ContextEntry[];
  ResourceHandlingOption?: string;
  MaxItems?: number;
  Marker?: string;
}
export interface Statement {
  SourcePolicyId?: string;
  SourcePolicyType?: PolicySourceType;
  StartPosition?: Position;
  EndPosition?: Position;
}
export interface Tag {
  Key: string;
  Value: string;
}
export interface TagInstanceProfileRequest {
  InstanceProfileName: string;
  Tags: Tag[];
}
export interface TagMFADeviceRequest {
  SerialNumber: string;
  Tags: Tag[];
}
export interface TagOpenIDConnectProviderRequest {
  OpenIDConnectProviderArn: string;
  Tags: Tag[];
}
export interface TagPolicyRequest {
  PolicyArn: string;
  Tags: Tag[];
}
export interface TagRoleRequest {
  RoleName: string;
  Tags: Tag[];
}
export interface TagSAMLProviderRequest {
  SAMLProviderArn: string;
  Tags: Tag[];
}
export interface TagServerCertificateRequest {
  ServerCertificateName: string;
  Tags: Tag[];
}
export interface TagUserRequest {
  UserName: string;
  Tags: Tag[];
}
export interface TrackedActionLastAccessed {
  ActionName?: string;
  LastAccessedEntity?: string;
  LastAccessedTime?: Date;
  LastAccessedRegion?: string;
}
export interface UntagInstanceProfileRequest {
  InstanceProfileName: string;
  TagKeys: string[];
}
export interface UntagMFADeviceRequest {
  SerialNumber: string;
  TagKeys: string[];
}
export interface UntagOpenIDConnectProviderRequest {
  OpenIDConnectProviderArn: string;
  TagKeys: string[];
}
export interface UntagPolicyRequest {
  PolicyArn: string;
  TagKeys: string[];
}
export interface UntagRoleRequest {
  RoleName: string;
  TagKeys: string[];
}
export interface UntagSAMLProviderRequest {
  SAMLProviderArn: string;
  TagKeys: string[];
}
export interface UntagServerCertificateRequest {
  ServerCertificateName: string;
  TagKeys: string[];
}
export interface UntagUserRequest {
  UserName: string;
  TagKeys: string[];
}
export interface UpdateAccessKeyRequest {
  UserName?: string;
  AccessKeyId: string;
  Status: statusType;
}
export interface UpdateAccountPasswordPolicyRequest {
  MinimumPasswordLength?: number;
  RequireSymbols?: boolean;
  RequireNumbers?: boolean;
  RequireUppercaseCharacters?: boolean;
  RequireLowercaseCharacters?: boolean;
  AllowUsersToChangePassword?: boolean;
  MaxPasswordAge?: number;
  PasswordReusePrevention?: number;
  HardExpiry?: boolean;
}
export interface UpdateAssumeRolePolicyRequest {
  RoleName: string;
  PolicyDocument: string;
}
export interface UpdateDelegationRequestRequest {
  DelegationRequestId: string;
  Notes?: string;
}
export interface UpdateGroupRequest {
  GroupName: string;
  NewPath?: string;
  NewGroupName?: string;
}
export interface UpdateLoginProfileRequest {
  UserName: string;
  Password?: string;
  PasswordResetRequired?: boolean;
}
export interface UpdateOpenIDConnectProviderThumbprintRequest {
  OpenIDConnectProviderArn: string;
  ThumbprintList: string[];
}
export interface UpdateRoleDescriptionRequest {
  RoleName: string;
  Description: string;
}
export interface UpdateRoleDescriptionResponse {
  Role?: Role;
}
export interface UpdateRoleRequest {
  RoleName: string;
  Description?: string;
  MaxSessionDuration?: number;
}
export type UpdateRoleResponse = Record<string, never>;
export interface UpdateSAMLProviderRequest {
  SAMLMetadataDocument?: string;
  SAMLProviderArn: string;
  AssertionEncryptionMode?: assertionEncryptionModeType;
  AddPrivateKey?: string;
  RemovePrivateKey?: string;
}
export interface UpdateSAMLProviderResponse {
  SAMLProviderArn?: string;
}
export interface UpdateSSHPublicKeyRequest {
  UserName: string;
  SSHPublicKeyId: string;
  Status: statusType;
}
export interface UpdateServerCertificateRequest {
  ServerCertificateName: string;
  NewPath?: string;
  NewServerCertificateName?: string;
}
export interface UpdateServiceSpecificCredentialRequest {
  UserName?: string;
  ServiceSpecificCredentialId: string;
  Status: statusType;
}
export interface UpdateSigningCertificateRequest {
  UserName?: string;
  CertificateId: string;
  Status: statusType;
}
export interface UpdateUserRequest {
  UserName: string;
  NewPath?: string;
  NewUserName?: string;
}
export interface UploadSSHPublicKeyRequest {
  UserName: string;
  SSHPublicKeyBody: string;
}
export interface UploadSSHPublicKeyResponse {
  SSHPublicKey?: SSHPublicKey;
}
export interface UploadServerCertificateRequest {
  Path?: string;
  ServerCertificateName: string;
  CertificateBody: string;
  PrivateKey: string;
  CertificateChain?: string;
  Tags?: Tag[];
}
export interface UploadServerCertificateResponse {
  ServerCertificateMetadata?: ServerCertificateMetadata;
  Tags?: Tag[];
}
export interface UploadSigningCertificateRequest {
  UserName?: string;
  CertificateBody: string;
}
export interface UploadSigningCertificateResponse {
  Certificate: SigningCertificate;
}
export interface User {
  Path: string;
  UserName: string;
  UserId: string;
  Arn: string;
  CreateDate: Date;
  PasswordLastUsed?: Date;
  PermissionsBoundary?: AttachedPermissionsBoundary;
  Tags?: Tag[];
}
export interface UserDetail {
  Path?: string;
  UserName?: string;
  UserId?: string;
  Arn?: string;
  CreateDate?: Date;
  UserPolicyList?: PolicyDetail[];
  GroupList?: string[];
  AttachedManagedPolicies?: AttachedPolicy[];
  PermissionsBoundary?: AttachedPermissionsBoundary;
  Tags?: Tag[];
}
export interface VirtualMFADevice {
  SerialNumber: string;
  Base32StringSeed?: Uint8Array;
  QRCodePNG?: Uint8Array;
  User?: User;
  EnableDate?: Date;
  Tags?: Tag[];
}

/** Every operation: its input, its output (an empty record when AWS returns none) and its modeled errors. */
export interface Operations {
  AcceptDelegationRequest: { input: AcceptDelegationRequestRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'ServiceFailure' | 'ConcurrentModification' };
  AddClientIDToOpenIDConnectProvider: { input: AddClientIDToOpenIDConnectProviderRequest; output: Record<string, never>; errors: 'ConcurrentModification' | 'InvalidInput' | 'NoSuchEntity' | 'LimitExceeded' | 'ServiceFailure' };
  AddRoleToInstanceProfile: { input: AddRoleToInstanceProfileRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'EntityAlreadyExists' | 'LimitExceeded' | 'UnmodifiableEntity' | 'ServiceFailure' };
  AddUserToGroup: { input: AddUserToGroupRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'LimitExceeded' | 'ServiceFailure' };
  AssociateDelegationRequest: { input: AssociateDelegationRequestRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'ServiceFailure' | 'ConcurrentModification' | 'InvalidInput' };
  AttachGroupPolicy: { input: AttachGroupPolicyRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'LimitExceeded' | 'InvalidInput' | 'PolicyNotAttachable' | 'ServiceFailure' };
  AttachRolePolicy: { input: AttachRolePolicyRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'LimitExceeded' | 'InvalidInput' | 'UnmodifiableEntity' | 'PolicyNotAttachable' | 'ServiceFailure' };
  AttachUserPolicy: { input: AttachUserPolicyRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'LimitExceeded' | 'InvalidInput' | 'PolicyNotAttachable' | 'ServiceFailure' };
  ChangePassword: { input: ChangePasswordRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'InvalidUserType' | 'LimitExceeded' | 'EntityTemporarilyUnmodifiable' | 'PasswordPolicyViolation' | 'ServiceFailure' };
  CreateAccessKey: { input: CreateAccessKeyRequest; output: CreateAccessKeyResponse; errors: 'NoSuchEntity' | 'LimitExceeded' | 'ServiceFailure' };
  CreateAccountAlias: { input: CreateAccountAliasRequest; output: Record<string, never>; errors: 'ConcurrentModification' | 'EntityAlreadyExists' | 'LimitExceeded' | 'ServiceFailure' };
  CreateDelegationRequest: { input: CreateDelegationRequestRequest; output: CreateDelegationRequestResponse; errors: 'EntityAlreadyExists' | 'ServiceFailure' | 'InvalidInput' | 'LimitExceeded' | 'ConcurrentModification' };
  CreateGroup: { input: CreateGroupRequest; output: CreateGroupResponse; errors: 'LimitExceeded' | 'EntityAlreadyExists' | 'NoSuchEntity' | 'ServiceFailure' };
  CreateInstanceProfile: { input: CreateInstanceProfileRequest; output: CreateInstanceProfileResponse; errors: 'EntityAlreadyExists' | 'InvalidInput' | 'LimitExceeded' | 'ConcurrentModification' | 'ServiceFailure' };
  CreateLoginProfile: { input: CreateLoginProfileRequest; output: CreateLoginProfileResponse; errors: 'EntityAlreadyExists' | 'NoSuchEntity' | 'PasswordPolicyViolation' | 'LimitExceeded' | 'ServiceFailure' };
  CreateOpenIDConnectProvider: { input: CreateOpenIDConnectProviderRequest; output: CreateOpenIDConnectProviderResponse; errors: 'InvalidInput' | 'EntityAlreadyExists' | 'LimitExceeded' | 'ConcurrentModification' | 'ServiceFailure' | 'OpenIdIdpCommunicationError' };
  CreatePolicy: { input: CreatePolicyRequest; output: CreatePolicyResponse; errors: 'InvalidInput' | 'LimitExceeded' | 'EntityAlreadyExists' | 'MalformedPolicyDocument' | 'ConcurrentModification' | 'ServiceFailure' };
  CreatePolicyVersion: { input: CreatePolicyVersionRequest; output: CreatePolicyVersionResponse; errors: 'NoSuchEntity' | 'MalformedPolicyDocument' | 'InvalidInput' | 'LimitExceeded' | 'ServiceFailure' };
  CreateRole: { input: CreateRoleRequest; output: CreateRoleResponse; errors: 'LimitExceeded' | 'InvalidInput' | 'EntityAlreadyExists' | 'MalformedPolicyDocument' | 'ConcurrentModification' | 'ServiceFailure' };
  CreateSAMLProvider: { input: CreateSAMLProviderRequest; output: CreateSAMLProviderResponse; errors: 'InvalidInput' | 'EntityAlreadyExists' | 'LimitExceeded' | 'ConcurrentModification' | 'ServiceFailure' };
  CreateServiceLinkedRole: { input: CreateServiceLinkedRoleRequest; output: CreateServiceLinkedRoleResponse; errors: 'InvalidInput' | 'LimitExceeded' | 'NoSuchEntity' | 'ServiceFailure' };
  CreateServiceSpecificCredential: { input: CreateServiceSpecificCredentialRequest; output: CreateServiceSpecificCredentialResponse; errors: 'LimitExceeded' | 'NoSuchEntity' | 'NotSupportedService' };
  CreateUser: { input: CreateUserRequest; output: CreateUserResponse; errors: 'LimitExceeded' | 'EntityAlreadyExists' | 'NoSuchEntity' | 'InvalidInput' | 'ConcurrentModification' | 'ServiceFailure' };
  CreateVirtualMFADevice: { input: CreateVirtualMFADeviceRequest; output: CreateVirtualMFADeviceResponse; errors: 'LimitExceeded' | 'InvalidInput' | 'EntityAlreadyExists' | 'ConcurrentModification' | 'ServiceFailure' };
  DeactivateMFADevice: { input: DeactivateMFADeviceRequest; output: Record<string, never>; errors: 'EntityTemporarilyUnmodifiable' | 'NoSuchEntity' | 'LimitExceeded' | 'ServiceFailure' | 'ConcurrentModification' };
  DeleteAccessKey: { input: DeleteAccessKeyRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'LimitExceeded' | 'ServiceFailure' };
  DeleteAccountAlias: { input: DeleteAccountAliasRequest; output: Record<string, never>; errors: 'ConcurrentModification' | 'NoSuchEntity' | 'LimitExceeded' | 'ServiceFailure' };
  DeleteAccountPasswordPolicy: { input: Record<string, never>; output: Record<string, never>; errors: 'NoSuchEntity' | 'LimitExceeded' | 'ServiceFailure' };
  DeleteGroup: { input: DeleteGroupRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'DeleteConflict' | 'LimitExceeded' | 'ServiceFailure' };
  DeleteGroupPolicy: { input: DeleteGroupPolicyRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'LimitExceeded' | 'ServiceFailure' };
  DeleteInstanceProfile: { input: DeleteInstanceProfileRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'DeleteConflict' | 'LimitExceeded' | 'ServiceFailure' };
  DeleteLoginProfile: { input: DeleteLoginProfileRequest; output: Record<string, never>; errors: 'EntityTemporarilyUnmodifiable' | 'NoSuchEntity' | 'LimitExceeded' | 'ServiceFailure' };
  DeleteOpenIDConnectProvider: { input: DeleteOpenIDConnectProviderRequest; output: Record<string, never>; errors: 'InvalidInput' | 'NoSuchEntity' | 'ServiceFailure' };
  DeletePolicy: { input: DeletePolicyRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'LimitExceeded' | 'InvalidInput' | 'DeleteConflict' | 'ServiceFailure' };
  DeletePolicyVersion: { input: DeletePolicyVersionRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'LimitExceeded' | 'InvalidInput' | 'DeleteConflict' | 'ServiceFailure' };
  DeleteRole: { input: DeleteRoleRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'DeleteConflict' | 'LimitExceeded' | 'UnmodifiableEntity' | 'ConcurrentModification' | 'ServiceFailure' };
  DeleteRolePermissionsBoundary: { input: DeleteRolePermissionsBoundaryRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'UnmodifiableEntity' | 'ServiceFailure' };
  DeleteRolePolicy: { input: DeleteRolePolicyRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'LimitExceeded' | 'UnmodifiableEntity' | 'ServiceFailure' };
  DeleteSAMLProvider: { input: DeleteSAMLProviderRequest; output: Record<string, never>; errors: 'InvalidInput' | 'LimitExceeded' | 'NoSuchEntity' | 'ServiceFailure' };
  DeleteSSHPublicKey: { input: DeleteSSHPublicKeyRequest; output: Record<string, never>; errors: 'NoSuchEntity' };
  DeleteServerCertificate: { input: DeleteServerCertificateRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'DeleteConflict' | 'LimitExceeded' | 'ServiceFailure' };
  DeleteServiceLinkedRole: { input: DeleteServiceLinkedRoleRequest; output: DeleteServiceLinkedRoleResponse; errors: 'NoSuchEntity' | 'LimitExceeded' | 'ServiceFailure' };
  DeleteServiceSpecificCredential: { input: DeleteServiceSpecificCredentialRequest; output: Record<string, never>; errors: 'NoSuchEntity' };
  DeleteSigningCertificate: { input: DeleteSigningCertificateRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'LimitExceeded' | 'ConcurrentModification' | 'ServiceFailure' };
  DeleteUser: { input: DeleteUserRequest; output: Record<string, never>; errors: 'LimitExceeded' | 'NoSuchEntity' | 'DeleteConflict' | 'ConcurrentModification' | 'ServiceFailure' };
  DeleteUserPermissionsBoundary: { input: DeleteUserPermissionsBoundaryRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'ServiceFailure' };
  DeleteUserPolicy: { input: DeleteUserPolicyRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'LimitExceeded' | 'ServiceFailure' };
  DeleteVirtualMFADevice: { input: DeleteVirtualMFADeviceRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'DeleteConflict' | 'LimitExceeded' | 'ServiceFailure' | 'ConcurrentModification' };
  DetachGroupPolicy: { input: DetachGroupPolicyRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'LimitExceeded' | 'InvalidInput' | 'ServiceFailure' };
  DetachRolePolicy: { input: DetachRolePolicyRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'LimitExceeded' | 'InvalidInput' | 'UnmodifiableEntity' | 'ServiceFailure' };
  DetachUserPolicy: { input: DetachUserPolicyRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'LimitExceeded' | 'InvalidInput' | 'ServiceFailure' };
  DisableOrganizationsRootCredentialsManagement: { input: DisableOrganizationsRootCredentialsManagementRequest; output: DisableOrganizationsRootCredentialsManagementResponse; errors: 'ServiceAccessNotEnabled' | 'AccountNotManagementOrDelegatedAdministrator' | 'OrganizationNotFound' | 'OrganizationNotInAllFeaturesMode' };
  DisableOrganizationsRootSessions: { input: DisableOrganizationsRootSessionsRequest; output: DisableOrganizationsRootSessionsResponse; errors: 'ServiceAccessNotEnabled' | 'AccountNotManagementOrDelegatedAdministrator' | 'OrganizationNotFound' | 'OrganizationNotInAllFeaturesMode' };
  DisableOutboundWebIdentityFederation: { input: Record<string, never>; output: Record<string, never>; errors: 'FeatureDisabled' };
  EnableMFADevice: { input: EnableMFADeviceRequest; output: Record<string, never>; errors: 'EntityAlreadyExists' | 'EntityTemporarilyUnmodifiable' | 'InvalidAuthenticationCode' | 'LimitExceeded' | 'NoSuchEntity' | 'ServiceFailure' | 'ConcurrentModification' };
  EnableOrganizationsRootCredentialsManagement: { input: EnableOrganizationsRootCredentialsManagementRequest; output: EnableOrganizationsRootCredentialsManagementResponse; errors: 'ServiceAccessNotEnabled' | 'AccountNotManagementOrDelegatedAdministrator' | 'OrganizationNotFound' | 'OrganizationNotInAllFeaturesMode' | 'CallerIsNotManagementAccount' };
  EnableOrganizationsRootSessions: { input: EnableOrganizationsRootSessionsRequest; output: EnableOrganizationsRootSessionsResponse; errors: 'ServiceAccessNotEnabled' | 'AccountNotManagementOrDelegatedAdministrator' | 'OrganizationNotFound' | 'OrganizationNotInAllFeaturesMode' | 'CallerIsNotManagementAccount' };
  EnableOutboundWebIdentityFederation: { input: Record<string, never>; output: EnableOutboundWebIdentityFederationResponse; errors: 'FeatureEnabled' };
  GenerateCredentialReport: { input: Record<string, never>; output: GenerateCredentialReportResponse; errors: 'LimitExceeded' | 'ServiceFailure' };
  GenerateOrganizationsAccessReport: { input: GenerateOrganizationsAccessReportRequest; output: GenerateOrganizationsAccessReportResponse; errors: 'ReportGenerationLimitExceeded' };
  GenerateServiceLastAccessedDetails: { input: GenerateServiceLastAccessedDetailsRequest; output: GenerateServiceLastAccessedDetailsResponse; errors: 'NoSuchEntity' | 'InvalidInput' };
  GetAccessKeyLastUsed: { input: GetAccessKeyLastUsedRequest; output: GetAccessKeyLastUsedResponse; errors: never };
  GetAccountAuthorizationDetails: { input: GetAccountAuthorizationDetailsRequest; output: GetAccountAuthorizationDetailsResponse; errors: 'ServiceFailure' };
  GetAccountPasswordPolicy: { input: Record<string, never>; output: GetAccountPasswordPolicyResponse; errors: 'NoSuchEntity' | 'ServiceFailure' };
  GetAccountSummary: { input: Record<string, never>; output: GetAccountSummaryResponse; errors: 'ServiceFailure' };
  GetContextKeysForCustomPolicy: { input: GetContextKeysForCustomPolicyRequest; output: GetContextKeysForPolicyResponse; errors: 'InvalidInput' };
  GetContextKeysForPrincipalPolicy: { input: GetContextKeysForPrincipalPolicyRequest; output: GetContextKeysForPolicyResponse; errors: 'NoSuchEntity' | 'InvalidInput' };
  GetCredentialReport: { input: Record<string, never>; output: GetCredentialReportResponse; errors: 'ReportNotPresent' | 'ReportExpired' | 'ReportInProgress' | 'ServiceFailure' };
  GetDelegationRequest: { input: GetDelegationRequestRequest; output: GetDelegationRequestResponse; errors: 'NoSuchEntity' | 'ServiceFailure' };
  GetGroup: { input: GetGroupRequest; output: GetGroupResponse; errors: 'NoSuchEntity' | 'ServiceFailure' };
  GetGroupPolicy: { input: GetGroupPolicyRequest; output: GetGroupPolicyResponse; errors: 'NoSuchEntity' | 'ServiceFailure' };
  GetHumanReadableSummary: { input: GetHumanReadableSummaryRequest; output: GetHumanReadableSummaryResponse; errors: 'InvalidInput' | 'NoSuchEntity' | 'ServiceFailure' };
  GetInstanceProfile: { input: GetInstanceProfileRequest; output: GetInstanceProfileResponse; errors: 'NoSuchEntity' | 'ServiceFailure' };
  GetLoginProfile: { input: GetLoginProfileRequest; output: GetLoginProfileResponse; errors: 'NoSuchEntity' | 'ServiceFailure' };
  GetMFADevice: { input: GetMFADeviceRequest; output: GetMFADeviceResponse; errors: 'NoSuchEntity' | 'ServiceFailure' };
  GetOpenIDConnectProvider: { input: GetOpenIDConnectProviderRequest; output: GetOpenIDConnectProviderResponse; errors: 'InvalidInput' | 'NoSuchEntity' | 'ServiceFailure' };
  GetOrganizationsAccessReport: { input: GetOrganizationsAccessReportRequest; output: GetOrganizationsAccessReportResponse; errors: 'NoSuchEntity' };
  GetOutboundWebIdentityFederationInfo: { input: Record<string, never>; output: GetOutboundWebIdentityFederationInfoResponse; errors: 'FeatureDisabled' };
  GetPolicy: { input: GetPolicyRequest; output: GetPolicyResponse; errors: 'NoSuchEntity' | 'InvalidInput' | 'ServiceFailure' };
  GetPolicyVersion: { input: GetPolicyVersionRequest; output: GetPolicyVersionResponse; errors: 'NoSuchEntity' | 'InvalidInput' | 'ServiceFailure' };
  GetRole: { input: GetRoleRequest; output: GetRoleResponse; errors: 'NoSuchEntity' | 'ServiceFailure' };
  GetRolePolicy: { input: GetRolePolicyRequest; output: GetRolePolicyResponse; errors: 'NoSuchEntity' | 'ServiceFailure' };
  GetSAMLProvider: { input: GetSAMLProviderRequest; output: GetSAMLProviderResponse; errors: 'NoSuchEntity' | 'InvalidInput' | 'ServiceFailure' };
  GetSSHPublicKey: { input: GetSSHPublicKeyRequest; output: GetSSHPublicKeyResponse; errors: 'NoSuchEntity' | 'UnrecognizedPublicKeyEncoding' };
  GetServerCertificate: { input: GetServerCertificateRequest; output: GetServerCertificateResponse; errors: 'NoSuchEntity' | 'ServiceFailure' };
  GetServiceLastAccessedDetails: { input: GetServiceLastAccessedDetailsRequest; output: GetServiceLastAccessedDetailsResponse; errors: 'NoSuchEntity' | 'InvalidInput' };
  GetServiceLastAccessedDetailsWithEntities: { input: GetServiceLastAccessedDetailsWithEntitiesRequest; output: GetServiceLastAccessedDetailsWithEntitiesResponse; errors: 'NoSuchEntity' | 'InvalidInput' };
  GetServiceLinkedRoleDeletionStatus: { input: GetServiceLinkedRoleDeletionStatusRequest; output: GetServiceLinkedRoleDeletionStatusResponse; errors: 'NoSuchEntity' | 'InvalidInput' | 'ServiceFailure' };
  GetUser: { input: GetUserRequest; output: GetUserResponse; errors: 'NoSuchEntity' | 'ServiceFailure' };
  GetUserPolicy: { input: GetUserPolicyRequest; output: GetUserPolicyResponse; errors: 'NoSuchEntity' | 'ServiceFailure' };
  ListAccessKeys: { input: ListAccessKeysRequest; output: ListAccessKeysResponse; errors: 'NoSuchEntity' | 'ServiceFailure' };
  ListAccountAliases: { input: ListAccountAliasesRequest; output: ListAccountAliasesResponse; errors: 'ServiceFailure' };
  ListAttachedGroupPolicies: { input: ListAttachedGroupPoliciesRequest; output: ListAttachedGroupPoliciesResponse; errors: 'NoSuchEntity' | 'InvalidInput' | 'ServiceFailure' };
  ListAttachedRolePolicies: { input: ListAttachedRolePoliciesRequest; output: ListAttachedRolePoliciesResponse; errors: 'NoSuchEntity' | 'InvalidInput' | 'ServiceFailure' };
  ListAttachedUserPolicies: { input: ListAttachedUserPoliciesRequest; output: ListAttachedUserPoliciesResponse; errors: 'NoSuchEntity' | 'InvalidInput' | 'ServiceFailure' };
  ListDelegationRequests: { input: ListDelegationRequestsRequest; output: ListDelegationRequestsResponse; errors: 'NoSuchEntity' | 'ServiceFailure' | 'InvalidInput' };
  ListEntitiesForPolicy: { input: ListEntitiesForPolicyRequest; output: ListEntitiesForPolicyResponse; errors: 'NoSuchEntity' | 'InvalidInput' | 'ServiceFailure' };
  ListGroupPolicies: { input: ListGroupPoliciesRequest; output: ListGroupPoliciesResponse; errors: 'NoSuchEntity' | 'ServiceFailure' };
  ListGroups: { input: ListGroupsRequest; output: ListGroupsResponse; errors: 'ServiceFailure' };
  ListGroupsForUser: { input: ListGroupsForUserRequest; output: ListGroupsForUserResponse; errors: 'NoSuchEntity' | 'ServiceFailure' };
  ListInstanceProfileTags: { input: ListInstanceProfileTagsRequest; output: ListInstanceProfileTagsResponse; errors: 'NoSuchEntity' | 'ServiceFailure' };
  ListInstanceProfiles: { input: ListInstanceProfilesRequest; output: ListInstanceProfilesResponse; errors: 'ServiceFailure' };
  ListInstanceProfilesForRole: { input: ListInstanceProfilesForRoleRequest; output: ListInstanceProfilesForRoleResponse; errors: 'NoSuchEntity' | 'ServiceFailure' };
  ListMFADeviceTags: { input: ListMFADeviceTagsRequest; output: ListMFADeviceTagsResponse; errors: 'NoSuchEntity' | 'InvalidInput' | 'ServiceFailure' };
  ListMFADevices: { input: ListMFADevicesRequest; output: ListMFADevicesResponse; errors: 'NoSuchEntity' | 'ServiceFailure' };
  ListOpenIDConnectProviderTags: { input: ListOpenIDConnectProviderTagsRequest; output: ListOpenIDConnectProviderTagsResponse; errors: 'NoSuchEntity' | 'ServiceFailure' | 'InvalidInput' };
  ListOpenIDConnectProviders: { input: ListOpenIDConnectProvidersRequest; output: ListOpenIDConnectProvidersResponse; errors: 'ServiceFailure' };
  ListOrganizationsFeatures: { input: ListOrganizationsFeaturesRequest; output: ListOrganizationsFeaturesResponse; errors: 'ServiceAccessNotEnabled' | 'AccountNotManagementOrDelegatedAdministrator' | 'OrganizationNotFound' | 'OrganizationNotInAllFeaturesMode' };
  ListPolicies: { input: ListPoliciesRequest; output: ListPoliciesResponse; errors: 'ServiceFailure' };
  ListPoliciesGrantingServiceAccess: { input: ListPoliciesGrantingServiceAccessRequest; output: ListPoliciesGrantingServiceAccessResponse; errors: 'NoSuchEntity' | 'InvalidInput' };
  ListPolicyTags: { input: ListPolicyTagsRequest; output: ListPolicyTagsResponse; errors: 'NoSuchEntity' | 'ServiceFailure' | 'InvalidInput' };
  ListPolicyVersions: { input: ListPolicyVersionsRequest; output: ListPolicyVersionsResponse; errors: 'NoSuchEntity' | 'InvalidInput' | 'ServiceFailure' };
  ListRolePolicies: { input: ListRolePoliciesRequest; output: ListRolePoliciesResponse; errors: 'NoSuchEntity' | 'ServiceFailure' };
  ListRoleTags: { input: ListRoleTagsRequest; output: ListRoleTagsResponse; errors: 'NoSuchEntity' | 'ServiceFailure' };
  ListRoles: { input: ListRolesRequest; output: ListRolesResponse; errors: 'ServiceFailure' };
  ListSAMLProviderTags: { input: ListSAMLProviderTagsRequest; output: ListSAMLProviderTagsResponse; errors: 'NoSuchEntity' | 'ServiceFailure' | 'InvalidInput' };
  ListSAMLProviders: { input: ListSAMLProvidersRequest; output: ListSAMLProvidersResponse; errors: 'ServiceFailure' };
  ListSSHPublicKeys: { input: ListSSHPublicKeysRequest; output: ListSSHPublicKeysResponse; errors: 'NoSuchEntity' };
  ListServerCertificateTags: { input: ListServerCertificateTagsRequest; output: ListServerCertificateTagsResponse; errors: 'NoSuchEntity' | 'ServiceFailure' };
  ListServerCertificates: { input: ListServerCertificatesRequest; output: ListServerCertificatesResponse; errors: 'ServiceFailure' };
  ListServiceSpecificCredentials: { input: ListServiceSpecificCredentialsRequest; output: ListServiceSpecificCredentialsResponse; errors: 'NoSuchEntity' | 'NotSupportedService' };
  ListSigningCertificates: { input: ListSigningCertificatesRequest; output: ListSigningCertificatesResponse; errors: 'NoSuchEntity' | 'ServiceFailure' };
  ListUserPolicies: { input: ListUserPoliciesRequest; output: ListUserPoliciesResponse; errors: 'NoSuchEntity' | 'ServiceFailure' };
  ListUserTags: { input: ListUserTagsRequest; output: ListUserTagsResponse; errors: 'NoSuchEntity' | 'ServiceFailure' };
  ListUsers: { input: ListUsersRequest; output: ListUsersResponse; errors: 'ServiceFailure' };
  ListVirtualMFADevices: { input: ListVirtualMFADevicesRequest; output: ListVirtualMFADevicesResponse; errors: never };
  PutGroupPolicy: { input: PutGroupPolicyRequest; output: Record<string, never>; errors: 'LimitExceeded' | 'MalformedPolicyDocument' | 'NoSuchEntity' | 'ServiceFailure' };
  PutRolePermissionsBoundary: { input: PutRolePermissionsBoundaryRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'InvalidInput' | 'UnmodifiableEntity' | 'PolicyNotAttachable' | 'ServiceFailure' };
  PutRolePolicy: { input: PutRolePolicyRequest; output: Record<string, never>; errors: 'LimitExceeded' | 'MalformedPolicyDocument' | 'NoSuchEntity' | 'UnmodifiableEntity' | 'ServiceFailure' };
  PutUserPermissionsBoundary: { input: PutUserPermissionsBoundaryRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'InvalidInput' | 'PolicyNotAttachable' | 'ServiceFailure' };
  PutUserPolicy: { input: PutUserPolicyRequest; output: Record<string, never>; errors: 'LimitExceeded' | 'MalformedPolicyDocument' | 'NoSuchEntity' | 'ServiceFailure' };
  RejectDelegationRequest: { input: RejectDelegationRequestRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'ServiceFailure' | 'ConcurrentModification' | 'InvalidInput' };
  RemoveClientIDFromOpenIDConnectProvider: { input: RemoveClientIDFromOpenIDConnectProviderRequest; output: Record<string, never>; errors: 'ConcurrentModification' | 'InvalidInput' | 'NoSuchEntity' | 'ServiceFailure' };
  RemoveRoleFromInstanceProfile: { input: RemoveRoleFromInstanceProfileRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'LimitExceeded' | 'UnmodifiableEntity' | 'ServiceFailure' };
  RemoveUserFromGroup: { input: RemoveUserFromGroupRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'LimitExceeded' | 'ServiceFailure' };
  ResetServiceSpecificCredential: { input: ResetServiceSpecificCredentialRequest; output: ResetServiceSpecificCredentialResponse; errors: 'NoSuchEntity' };
  ResyncMFADevice: { input: ResyncMFADeviceRequest; output: Record<string, never>; errors: 'InvalidAuthenticationCode' | 'NoSuchEntity' | 'LimitExceeded' | 'ServiceFailure' | 'ConcurrentModification' };
  SendDelegationToken: { input: SendDelegationTokenRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'ServiceFailure' | 'ConcurrentModification' | 'InvalidInput' };
  SetDefaultPolicyVersion: { input: SetDefaultPolicyVersionRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'InvalidInput' | 'LimitExceeded' | 'ServiceFailure' };
  SetSecurityTokenServicePreferences: { input: SetSecurityTokenServicePreferencesRequest; output: Record<string, never>; errors: 'ServiceFailure' };
  SimulateCustomPolicy: { input: SimulateCustomPolicyRequest; output: SimulatePolicyResponse; errors: 'InvalidInput' | 'PolicyEvaluation' };
  SimulatePrincipalPolicy: { input: SimulatePrincipalPolicyRequest; output: SimulatePolicyResponse; errors: 'NoSuchEntity' | 'InvalidInput' | 'PolicyEvaluation' };
  TagInstanceProfile: { input: TagInstanceProfileRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'InvalidInput' | 'LimitExceeded' | 'ConcurrentModification' | 'ServiceFailure' };
  TagMFADevice: { input: TagMFADeviceRequest; output: Record<string, never>; errors: 'InvalidInput' | 'NoSuchEntity' | 'LimitExceeded' | 'ConcurrentModification' | 'ServiceFailure' };
  TagOpenIDConnectProvider: { input: TagOpenIDConnectProviderRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'LimitExceeded' | 'InvalidInput' | 'ConcurrentModification' | 'ServiceFailure' };
  TagPolicy: { input: TagPolicyRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'LimitExceeded' | 'InvalidInput' | 'ConcurrentModification' | 'ServiceFailure' };
  TagRole: { input: TagRoleRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'LimitExceeded' | 'InvalidInput' | 'ConcurrentModification' | 'ServiceFailure' };
  TagSAMLProvider: { input: TagSAMLProviderRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'LimitExceeded' | 'InvalidInput' | 'ConcurrentModification' | 'ServiceFailure' };
  TagServerCertificate: { input: TagServerCertificateRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'InvalidInput' | 'LimitExceeded' | 'ConcurrentModification' | 'ServiceFailure' };
  TagUser: { input: TagUserRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'LimitExceeded' | 'InvalidInput' | 'ConcurrentModification' | 'ServiceFailure' };
  UntagInstanceProfile: { input: UntagInstanceProfileRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'InvalidInput' | 'ConcurrentModification' | 'ServiceFailure' };
  UntagMFADevice: { input: UntagMFADeviceRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'InvalidInput' | 'ConcurrentModification' | 'ServiceFailure' };
  UntagOpenIDConnectProvider: { input: UntagOpenIDConnectProviderRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'InvalidInput' | 'ConcurrentModification' | 'ServiceFailure' };
  UntagPolicy: { input: UntagPolicyRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'InvalidInput' | 'ConcurrentModification' | 'ServiceFailure' };
  UntagRole: { input: UntagRoleRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'ConcurrentModification' | 'ServiceFailure' };
  UntagSAMLProvider: { input: UntagSAMLProviderRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'InvalidInput' | 'ConcurrentModification' | 'ServiceFailure' };
  UntagServerCertificate: { input: UntagServerCertificateRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'InvalidInput' | 'ConcurrentModification' | 'ServiceFailure' };
  UntagUser: { input: UntagUserRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'ConcurrentModification' | 'ServiceFailure' };
  UpdateAccessKey: { input: UpdateAccessKeyRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'LimitExceeded' | 'ServiceFailure' | 'InvalidInput' };
  UpdateAccountPasswordPolicy: { input: UpdateAccountPasswordPolicyRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'MalformedPolicyDocument' | 'LimitExceeded' | 'ServiceFailure' };
  UpdateAssumeRolePolicy: { input: UpdateAssumeRolePolicyRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'MalformedPolicyDocument' | 'LimitExceeded' | 'UnmodifiableEntity' | 'ServiceFailure' };
  UpdateDelegationRequest: { input: UpdateDelegationRequestRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'ServiceFailure' | 'ConcurrentModification' | 'InvalidInput' };
  UpdateGroup: { input: UpdateGroupRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'EntityAlreadyExists' | 'LimitExceeded' | 'ServiceFailure' };
  UpdateLoginProfile: { input: UpdateLoginProfileRequest; output: Record<string, never>; errors: 'EntityTemporarilyUnmodifiable' | 'NoSuchEntity' | 'PasswordPolicyViolation' | 'LimitExceeded' | 'ServiceFailure' };
  UpdateOpenIDConnectProviderThumbprint: { input: UpdateOpenIDConnectProviderThumbprintRequest; output: Record<string, never>; errors: 'ConcurrentModification' | 'InvalidInput' | 'NoSuchEntity' | 'ServiceFailure' };
  UpdateRole: { input: UpdateRoleRequest; output: UpdateRoleResponse; errors: 'UnmodifiableEntity' | 'NoSuchEntity' | 'ServiceFailure' };
  UpdateRoleDescription: { input: UpdateRoleDescriptionRequest; output: UpdateRoleDescriptionResponse; errors: 'NoSuchEntity' | 'UnmodifiableEntity' | 'ServiceFailure' };
  UpdateSAMLProvider: { input: UpdateSAMLProviderRequest; output: UpdateSAMLProviderResponse; errors: 'NoSuchEntity' | 'InvalidInput' | 'LimitExceeded' | 'ServiceFailure' | 'ConcurrentModification' };
  UpdateSSHPublicKey: { input: UpdateSSHPublicKeyRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'InvalidInput' };
  UpdateServerCertificate: { input: UpdateServerCertificateRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'EntityAlreadyExists' | 'LimitExceeded' | 'ServiceFailure' };
  UpdateServiceSpecificCredential: { input: UpdateServiceSpecificCredentialRequest; output: Record<string, never>; errors: 'NoSuchEntity' };
  UpdateSigningCertificate: { input: UpdateSigningCertificateRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'LimitExceeded' | 'ServiceFailure' | 'InvalidInput' };
  UpdateUser: { input: UpdateUserRequest; output: Record<string, never>; errors: 'NoSuchEntity' | 'LimitExceeded' | 'EntityAlreadyExists' | 'EntityTemporarilyUnmodifiable' | 'ConcurrentModification' | 'ServiceFailure' };
  UploadSSHPublicKey: { input: UploadSSHPublicKeyRequest; output: UploadSSHPublicKeyResponse; errors: 'LimitExceeded' | 'NoSuchEntity' | 'InvalidPublicKey' | 'DuplicateSSHPublicKey' | 'UnrecognizedPublicKeyEncoding' };
  UploadServerCertificate: { input: UploadServerCertificateRequest; output: UploadServerCertificateResponse; errors: 'LimitExceeded' | 'InvalidInput' | 'EntityAlreadyExists' | 'MalformedCertificate' | 'KeyPairMismatch' | 'ConcurrentModification' | 'ServiceFailure' };
  UploadSigningCertificate: { input: UploadSigningCertificateRequest; output: UploadSigningCertificateResponse; errors: 'LimitExceeded' | 'EntityAlreadyExists' | 'MalformedCertificate' | 'InvalidCertificate' | 'DuplicateCertificate' | 'NoSuchEntity' | 'ConcurrentModification' | 'ServiceFailure' };
}

export type OperationName = keyof Operations;
