// Generated from src/aws/models/cloudtrail-2013-11-01.json by src/aws/models/generate-types.ts. Do not edit: regenerate.
/* eslint-disable */

export type BillingMode = 'EXTENDABLE_RETENTION_PRICING' | 'FIXED_RETENTION_PRICING';
export type DashboardStatus = 'CREATING' | 'CREATED' | 'UPDATING' | 'UPDATED' | 'DELETING';
export type DashboardType = 'MANAGED' | 'CUSTOM';
export type DeliveryStatus = 'SUCCESS' | 'FAILED' | 'FAILED_SIGNING_FILE' | 'PENDING' | 'RESOURCE_NOT_FOUND' | 'ACCESS_DENIED' | 'ACCESS_DENIED_SIGNING_FILE' | 'CANCELLED' | 'UNKNOWN';
export type DestinationType = 'EVENT_DATA_STORE' | 'AWS_SERVICE';
export type EventCategory = 'insight';
export type EventCategoryAggregation = 'Data';
export type EventDataStoreStatus = 'CREATED' | 'ENABLED' | 'PENDING_DELETION' | 'STARTING_INGESTION' | 'STOPPING_INGESTION' | 'STOPPED_INGESTION';
export type FederationStatus = 'ENABLING' | 'ENABLED' | 'DISABLING' | 'DISABLED';
export type ImportFailureStatus = 'FAILED' | 'RETRY' | 'SUCCEEDED';
export type ImportStatus = 'INITIALIZING' | 'IN_PROGRESS' | 'FAILED' | 'STOPPED' | 'COMPLETED';
export type InsightType = 'ApiCallRateInsight' | 'ApiErrorRateInsight';
export type InsightsMetricDataType = 'FillWithZeros' | 'NonZeroData';
export type ListInsightsDataDimensionKey = 'EventId' | 'EventName' | 'EventSource';
export type ListInsightsDataType = 'InsightsEvents';
export type LookupAttributeKey = 'EventId' | 'EventName' | 'ReadOnly' | 'Username' | 'ResourceType' | 'ResourceName' | 'EventSource' | 'AccessKeyId';
export type MaxEventSize = 'Standard' | 'Large';
export type QueryStatus = 'QUEUED' | 'RUNNING' | 'FINISHED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';
export type ReadWriteType = 'ReadOnly' | 'WriteOnly' | 'All';
export type RefreshScheduleFrequencyUnit = 'HOURS' | 'DAYS';
export type RefreshScheduleStatus = 'ENABLED' | 'DISABLED';
export type SourceEventCategory = 'Management' | 'Data';
export type Template = 'API_ACTIVITY' | 'RESOURCE_ACCESS' | 'USER_ACTIONS';
export type Type = 'TagContext' | 'RequestContext';

export interface AddTagsRequest {
  ResourceId: string;
  TagsList: Tag[];
}
export type AddTagsResponse = Record<string, never>;
export interface AdvancedEventSelector {
  Name?: string;
  FieldSelectors: AdvancedFieldSelector[];
}
export interface AdvancedFieldSelector {
  Field: string;
  Equals?: string[];
  StartsWith?: string[];
  EndsWith?: string[];
  NotEquals?: string[];
  NotStartsWith?: string[];
  NotEndsWith?: string[];
}
export interface AggregationConfiguration {
  Templates: Template[];
  EventCategory: EventCategoryAggregation;
}
export interface CancelQueryRequest {
  EventDataStore?: string;
  QueryId: string;
  EventDataStoreOwnerAccountId?: string;
}
export interface CancelQueryResponse {
  QueryId: string;
  QueryStatus: QueryStatus;
  EventDataStoreOwnerAccountId?: string;
}
export interface Channel {
  ChannelArn?: string;
  Name?: string;
}
export interface ContextKeySelector {
  Type: Type;
  Equals: string[];
}
export interface CreateChannelRequest {
  Name: string;
  Source: string;
  Destinations: Destination[];
  Tags?: Tag[];
}
export interface CreateChannelResponse {
  ChannelArn?: string;
  Name?: string;
  Source?: string;
  Destinations?: Destination[];
  Tags?: Tag[];
}
export interface CreateDashboardRequest {
  Name: string;
  RefreshSchedule?: RefreshSchedule;
  TagsList?: Tag[];
  TerminationProtectionEnabled?: boolean;
  Widgets?: RequestWidget[];
}
export interface CreateDashboardResponse {
  DashboardArn?: string;
  Name?: string;
  Type?: DashboardType;
  Widgets?: Widget[];
  TagsList?: Tag[];
  RefreshSchedule?: RefreshSchedule;
  TerminationProtectionEnabled?: boolean;
}
export interface CreateEventDataStoreRequest {
  Name: string;
  AdvancedEventSelectors?: AdvancedEventSelector[];
  MultiRegionEnabled?: boolean;
  OrganizationEnabled?: boolean;
  RetentionPeriod?: number;
  TerminationProtectionEnabled?: boolean;
  TagsList?: Tag[];
  KmsKeyId?: string;
  StartIngestion?: boolean;
  BillingMode?: BillingMode;
}
export interface CreateEventDataStoreResponse {
  EventDataStoreArn?: string;
  Name?: string;
  Status?: EventDataStoreStatus;
  AdvancedEventSelectors?: AdvancedEventSelector[];
  MultiRegionEnabled?: boolean;
  OrganizationEnabled?: boolean;
  RetentionPeriod?: number;
  TerminationProtectionEnabled?: boolean;
  TagsList?: Tag[];
  CreatedTimestamp?: Date;
  UpdatedTimestamp?: Date;
  KmsKeyId?: string;
  BillingMode?: BillingMode;
}
export interface CreateTrailRequest {
  Name: string;
  S3BucketName: string;
  S3KeyPrefix?: string;
  SnsTopicName?: string;
  IncludeGlobalServiceEvents?: boolean;
  IsMultiRegionTrail?: boolean;
  EnableLogFileValidation?: boolean;
  CloudWatchLogsLogGroupArn?: string;
  CloudWatchLogsRoleArn?: string;
  KmsKeyId?: string;
  IsOrganizationTrail?: boolean;
  TagsList?: Tag[];
}
export interface CreateTrailResponse {
  Name?: string;
  S3BucketName?: string;
  S3KeyPrefix?: string;
  SnsTopicName?: string;
  SnsTopicARN?: string;
  IncludeGlobalServiceEvents?: boolean;
  IsMultiRegionTrail?: boolean;
  TrailARN?: string;
  LogFileValidationEnabled?: boolean;
  CloudWatchLogsLogGroupArn?: string;
  CloudWatchLogsRoleArn?: string;
  KmsKeyId?: string;
  IsOrganizationTrail?: boolean;
}
export interface DashboardDetail {
  DashboardArn?: string;
  Type?: DashboardType;
}
export interface DataResource {
  Type?: string;
  Values?: string[];
}
export interface DeleteChannelRequest {
  Channel: string;
}
export type DeleteChannelResponse = Record<string, never>;
export interface DeleteDashboardRequest {
  DashboardId: string;
}
export type DeleteDashboardResponse = Record<string, never>;
export interface DeleteEventDataStoreRequest {
  EventDataStore: string;
}
export type DeleteEventDataStoreResponse = Record<string, never>;
export interface DeleteResourcePolicyRequest {
  ResourceArn: string;
}
export type DeleteResourcePolicyResponse = Record<string, never>;
export interface DeleteTrailRequest {
  Name: string;
}
export type DeleteTrailResponse = Record<string, never>;
export interface DeregisterOrganizationDelegatedAdminRequest {
  DelegatedAdminAccountId: string;
}
export type DeregisterOrganizationDelegatedAdminResponse = Record<string, never>;
export interface DescribeQueryRequest {
  EventDataStore?: string;
  QueryId?: string;
  QueryAlias?: string;
  RefreshId?: string;
  EventDataStoreOwnerAccountId?: string;
}
export interface DescribeQueryResponse {
  QueryId?: string;
  QueryString?: string;
  QueryStatus?: QueryStatus;
  QueryStatistics?: QueryStatisticsForDescribeQuery;
  ErrorMessage?: string;
  DeliveryS3Uri?: string;
  DeliveryStatus?: DeliveryStatus;
  Prompt?: string;
  EventDataStoreOwnerAccountId?: string;
}
export interface DescribeTrailsRequest {
  trailNameList?: string[];
  includeShadowTrails?: boolean;
}
export interface DescribeTrailsResponse {
  trailList?: Trail[];
}
export interface Destination {
  Type: DestinationType;
  Location: string;
}
export interface DisableFederationRequest {
  EventDataStore: string;
}
export interface DisableFederationResponse {
  EventDataStoreArn?: string;
  FederationStatus?: FederationStatus;
}
export interface EnableFederationRequest {
  EventDataStore: string;
  FederationRoleArn: string;
}
export interface EnableFederationResponse {
  EventDataStoreArn?: string;
  FederationStatus?: FederationStatus;
  FederationRoleArn?: string;
}
export interface Event {
  EventId?: string;
  EventName?: string;
  ReadOnly?: string;
  AccessKeyId?: string;
  EventTime?: Date;
  EventSource?: string;
  Username?: string;
  Resources?: Resource[];
  CloudTrailEvent?: string;
}
export interface EventDataStore {
  EventDataStoreArn?: string;
  Name?: string;
  TerminationProtectionEnabled?: boolean;
  Status?: EventDataStoreStatus;
  AdvancedEventSelectors?: AdvancedEventSelector[];
  MultiRegionEnabled?: boolean;
  OrganizationEnabled?: boolean;
  RetentionPeriod?: number;
  CreatedTimestamp?: Date;
  UpdatedTimestamp?: Date;
}
export interface EventSelector {
  ReadWriteType?: ReadWriteType;
  IncludeManagementEvents?: boolean;
  DataResources?: DataResource[];
  ExcludeManagementEventSources?: string[];
}
export interface GenerateQueryRequest {
  EventDataStores: string[];
  Prompt: string;
}
export interface GenerateQueryResponse {
  QueryStatement?: string;
  QueryAlias?: string;
  EventDataStoreOwnerAccountId?: string;
}
export interface GetChannelRequest {
  Channel: string;
}
export interface GetChannelResponse {
  ChannelArn?: string;
  Name?: string;
  Source?: string;
  SourceConfig?: SourceConfig;
  Destinations?: Destination[];
  IngestionStatus?: IngestionStatus;
}
export interface GetDashboardRequest {
  DashboardId: string;
}
export interface GetDashboardResponse {
  DashboardArn?: string;
  Type?: DashboardType;
  Status?: DashboardStatus;
  Widgets?: Widget[];
  RefreshSchedule?: RefreshSchedule;
  CreatedTimestamp?: Date;
  UpdatedTimestamp?: Date;
  LastRefreshId?: string;
  LastRefreshFailureReason?: string;
  TerminationProtectionEnabled?: boolean;
}
export interface GetEventConfigurationRequest {
  TrailName?: string;
  EventDataStore?: string;
}
export interface GetEventConfigurationResponse {
  TrailARN?: string;
  EventDataStoreArn?: string;
  MaxEventSize?: MaxEventSize;
  ContextKeySelectors?: ContextKeySelector[];
  AggregationConfigurations?: AggregationConfiguration[];
}
export interface GetEventDataStoreRequest {
  EventDataStore: string;
}
export interface GetEventDataStoreResponse {
  EventDataStoreArn?: string;
  Name?: string;
  Status?: EventDataStoreStatus;
  AdvancedEventSelectors?: AdvancedEventSelector[];
  MultiRegionEnabled?: boolean;
  OrganizationEnabled?: boolean;
  RetentionPeriod?: number;
  TerminationProtectionEnabled?: boolean;
  CreatedTimestamp?: Date;
  UpdatedTimestamp?: Date;
  KmsKeyId?: string;
  BillingMode?: BillingMode;
  FederationStatus?: FederationStatus;
  FederationRoleArn?: string;
  PartitionKeys?: PartitionKey[];
}
export interface GetEventSelectorsRequest {
  TrailName: string;
}
export interface GetEventSelectorsResponse {
  TrailARN?: string;
  EventSelectors?: EventSelector[];
  AdvancedEventSelectors?: AdvancedEventSelector[];
}
export interface GetImportRequest {
  ImportId: string;
}
export interface GetImportResponse {
  ImportId?: string;
  Destinations?: string[];
  ImportSource?: ImportSource;
  StartEventTime?: Date;
  EndEventTime?: Date;
  ImportStatus?: ImportStatus;
  CreatedTimestamp?: Date;
  UpdatedTimestamp?: Date;
  ImportStatistics?: ImportStatistics;
}
export interface GetInsightSelectorsRequest {
  TrailName?: string;
  EventDataStore?: string;
}
export interface GetInsightSelectorsResponse {
  TrailARN?: string;
  InsightSelectors?: InsightSelector[];
  EventDataStoreArn?: string;
  InsightsDestination?: string;
}
export interface GetQueryResultsRequest {
  EventDataStore?: string;
  QueryId: string;
  NextToken?: string;
  MaxQueryResults?: number;
  EventDataStoreOwnerAccountId?: string;
}
export interface GetQueryResultsResponse {
  QueryStatus?: QueryStatus;
  QueryStatistics?: QueryStatistics;
  QueryResultRows?: Record<string, string>[][];
  NextToken?: string;
  ErrorMessage?: string;
}
export interface GetResourcePolicyRequest {
  ResourceArn: string;
}
export interface GetResourcePolicyResponse {
  ResourceArn?: string;
  ResourcePolicy?: string;
  DelegatedAdminResourcePolicy?: string;
}
export interface GetTrailRequest {
  Name: string;
}
export interface GetTrailResponse {
  Trail?: Trail;
}
export interface GetTrailStatusRequest {
  Name: string;
}
export interface GetTrailStatusResponse {
  IsLogging?: boolean;
  LatestDeliveryError?: string;
  LatestNotificationError?: string;
  LatestDeliveryTime?: Date;
  LatestNotificationTime?: Date;
  StartLoggingTime?: Date;
  StopLoggingTime?: Date;
  LatestCloudWatchLogsDeliveryError?: string;
  LatestCloudWatchLogsDeliveryTime?: Date;
  LatestDigestDeliveryTime?: Date;
  LatestDigestDeliveryError?: string;
  LatestDeliveryAttemptTime?: string;
  LatestNotificationAttemptTime?: string;
  LatestNotificationAttemptSucceeded?: string;
  LatestDeliveryAttemptSucceeded?: string;
  TimeLoggingStarted?: string;
  TimeLoggingStopped?: string;
}
export interface ImportFailureListItem {
  Location?: string;
  Status?: ImportFailureStatus;
  ErrorType?: string;
  ErrorMessage?: string;
  LastUpdatedTime?: Date;
}
export interface ImportSource {
  S3: S3ImportSource;
}
export interface ImportStatistics {
  PrefixesFound?: number;
  PrefixesCompleted?: number;
  FilesCompleted?: number;
  EventsCompleted?: number;
  FailedEntries?: number;
}
export interface ImportsListItem {
  ImportId?: string;
  ImportStatus?: ImportStatus;
  Destinations?: string[];
  CreatedTimestamp?: Date;
  UpdatedTimestamp?: Date;
}
export interface IngestionStatus {
  LatestIngestionSuccessTime?: Date;
  LatestIngestionSuccessEventID?: string;
  LatestIngestionErrorCode?: string;
  LatestIngestionAttemptTime?: Date;
  LatestIngestionAttemptEventID?: string;
}
export interface InsightSelector {
  InsightType?: InsightType;
  EventCategories?: SourceEventCategory[];
}
export interface ListChannelsRequest {
  MaxResults?: number;
  NextToken?: string;
}
export interface ListChannelsResponse {
  Channels?: Channel[];
  NextToken?: string;
}
export interface ListDashboardsRequest {
  NamePrefix?: string;
  Type?: DashboardType;
  NextToken?: string;
  MaxResults?: number;
}
export interface ListDashboardsResponse {
  Dashboards?: DashboardDetail[];
  NextToken?: string;
}
export interface ListEventDataStoresRequest {
  NextToken?: string;
  MaxResults?: number;
}
export interface ListEventDataStoresResponse {
  EventDataStores?: EventDataStore[];
  NextToken?: string;
}
export interface ListImportFailuresRequest {
  ImportId: string;
  MaxResults?: number;
  NextToken?: string;
}
export interface ListImportFailuresResponse {
  Failures?: ImportFailureListItem[];
  NextToken?: string;
}
export interface ListImportsRequest {
  MaxResults?: number;
  Destination?: string;
  ImportStatus?: ImportStatus;
  NextToken?: string;
}
export interface ListImportsResponse {
  Imports?: ImportsListItem[];
  NextToken?: string;
}
export interface ListInsightsDataRequest {
  InsightSource: string;
  DataType: ListInsightsDataType;
  Dimensions?: Partial<Record<ListInsightsDataDimensionKey, string>>;
  StartTime?: Date;
  EndTime?: Date;
  MaxResults?: number;
  NextToken?: string;
}
export interface ListInsightsDataResponse {
  Events?: Event[];
  NextToken?: string;
}
export interface ListInsightsMetricDataRequest {
  TrailName?: string;
  EventSource: string;
  EventName: string;
  InsightType: InsightType;
  ErrorCode?: string;
  StartTime?: Date;
  EndTime?: Date;
  Period?: number;
  DataType?: InsightsMetricDataType;
  MaxResults?: number;
  NextToken?: string;
}
export interface ListInsightsMetricDataResponse {
  TrailARN?: string;
  EventSource?: string;
  EventName?: string;
  InsightType?: InsightType;
  ErrorCode?: string;
  Timestamps?: Date[];
  Values?: number[];
  NextToken?: string;
}
export interface ListPublicKeysRequest {
  StartTime?: Date;
  EndTime?: Date;
  NextToken?: string;
}
export interface ListPublicKeysResponse {
  PublicKeyList?: PublicKey[];
  NextToken?: string;
}
export interface ListQueriesRequest {
  EventDataStore: string;
  NextToken?: string;
  MaxResults?: number;
  StartTime?: Date;
  EndTime?: Date;
  QueryStatus?: QueryStatus;
}
export interface ListQueriesResponse {
  Queries?: Query[];
  NextToken?: string;
}
export interface ListTagsRequest {
  ResourceIdList: string[];
  NextToken?: string;
}
export interface ListTagsResponse {
  ResourceTagList?: ResourceTag[];
  NextToken?: string;
}
export interface ListTrailsRequest {
  NextToken?: string;
}
export interface ListTrailsResponse {
  Trails?: TrailInfo[];
  NextToken?: string;
}
export interface LookupAttribute {
  AttributeKey: LookupAttributeKey;
  AttributeValue: string;
}
export interface LookupEventsRequest {
  LookupAttributes?: LookupAttribute[];
  StartTime?: Date;
  EndTime?: Date;
  EventCategory?: EventCategory;
  MaxResults?: number;
  NextToken?: string;
}
export interface LookupEventsResponse {
  Events?: Event[];
  NextToken?: string;
}
export interface PartitionKey {
  Name: string;
  Type: string;
}
export interface PublicKey {
  Value?: Uint8Array;
  ValidityStartTime?: Date;
  ValidityEndTime?: Date;
  Fingerprint?: string;
}
export interface PutEventConfigurationRequest {
  TrailName?: string;
  EventDataStore?: string;
  MaxEventSize?: MaxEventSize;
  ContextKeySelectors?: ContextKeySelector[];
  AggregationConfigurations?: AggregationConfiguration[];
}
export interface PutEventConfigurationResponse {
  TrailARN?: string;
  EventDataStoreArn?: string;
  MaxEventSize?: MaxEventSize;
  ContextKeySelectors?: ContextKeySelector[];
  AggregationConfigurations?: AggregationConfiguration[];
}
export interface PutEventSelectorsRequest {
  TrailName: string;
  EventSelectors?: EventSelector[];
  AdvancedEventSelectors?: AdvancedEventSelector[];
}
export interface PutEventSelectorsResponse {
  TrailARN?: string;
  EventSelectors?: EventSelector[];
  AdvancedEventSelectors?: AdvancedEventSelector[];
}
export interface PutInsightSelectorsRequest {
  TrailName?: string;
  InsightSelectors: InsightSelector[];
  EventDataStore?: string;
  InsightsDestination?: string;
}
export interface PutInsightSelectorsResponse {
  TrailARN?: string;
  InsightSelectors?: InsightSelector[];
  EventDataStoreArn?: string;
  InsightsDestination?: string;
}
export interface PutResourcePolicyRequest {
  ResourceArn: string;
  ResourcePolicy: string;
}
export interface PutResourcePolicyResponse {
  ResourceArn?: string;
  ResourcePolicy?: string;
  DelegatedAdminResourcePolicy?: string;
}
export interface Query {
  QueryId?: string;
  QueryStatus?: QueryStatus;
  CreationTime?: Date;
}
export interface QueryStatistics {
  ResultsCount?: number;
  TotalResultsCount?: number;
  BytesScanned?: number;
}
export interface QueryStatisticsForDescribeQuery {
  EventsMatched?: number;
  EventsScanned?: number;
  BytesScanned?: number;
  ExecutionTimeInMillis?: number;
  CreationTime?: Date;
}
export interface RefreshSchedule {
  Frequency?: RefreshScheduleFrequency;
  Status?: RefreshScheduleStatus;
  TimeOfDay?: string;
}
export interface RefreshScheduleFrequency {
  Unit?: RefreshScheduleFrequencyUnit;
  Value?: number;
}
export interface RegisterOrganizationDelegatedAdminRequest {
  MemberAccountId: string;
}
export type RegisterOrganizationDelegatedAdminResponse = Record<string, never>;
export interface RemoveTagsRequest {
  ResourceId: string;
  TagsList: Tag[];
}
export type RemoveTagsResponse = Record<string, never>;
export interface RequestWidget {
  QueryStatement: string;
  QueryParameters?: string[];
  ViewProperties: Record<string, string>;
}
export interface Resource {
  ResourceType?: string;
  ResourceName?: string;
}
export interface ResourceTag {
  ResourceId?: string;
  TagsList?: Tag[];
}
export interface RestoreEventDataStoreRequest {
  EventDataStore: string;
}
export interface RestoreEventDataStoreResponse {
  EventDataStoreArn?: string;
  Name?: string;
  Status?: EventDataStoreStatus;
  AdvancedEventSelectors?: AdvancedEventSelector[];
  MultiRegionEnabled?: boolean;
  OrganizationEnabled?: boolean;
  RetentionPeriod?: number;
  TerminationProtectionEnabled?: boolean;
  CreatedTimestamp?: Date;
  UpdatedTimestamp?: Date;
  KmsKeyId?: string;
  BillingMode?: BillingMode;
}
export interface S3ImportSource {
  S3LocationUri: string;
  S3BucketRegion: string;
  S3BucketAccessRoleArn: string;
}
export interface SearchSampleQueriesRequest {
  SearchPhrase: string;
  MaxResults?: number;
  NextToken?: string;
}
export interface SearchSampleQueriesResponse {
  SearchResults?: SearchSampleQueriesSearchResult[];
  NextToken?: string;
}
export interface SearchSampleQueriesSearchResult {
  Name?: string;
  Description?: string;
  SQL?: string;
  Relevance?: number;
}
export interface SourceConfig {
  ApplyToAllRegions?: boolean;
  AdvancedEventSelectors?: AdvancedEventSelector[];
}
export interface StartDashboardRefreshRequest {
  DashboardId: string;
  QueryParameterValues?: Record<string, string>;
}
export interface StartDashboardRefreshResponse {
  RefreshId?: string;
}
export interface StartEventDataStoreIngestionRequest {
  EventDataStore: string;
}
export type StartEventDataStoreIngestionResponse = Record<string, never>;
export interface StartImportRequest {
  Destinations?: string[];
  ImportSource?: ImportSource;
  StartEventTime?: Date;
  EndEventTime?: Date;
  ImportId?: string;
}
export interface StartImportResponse {
  ImportId?: string;
  Destinations?: string[];
  ImportSource?: ImportSource;
  StartEventTime?: Date;
  EndEventTime?: Date;
  ImportStatus?: ImportStatus;
  CreatedTimestamp?: Date;
  UpdatedTimestamp?: Date;
}
export interface StartLoggingRequest {
  Name: string;
}
export type StartLoggingResponse = Record<string, never>;
export interface StartQueryRequest {
  QueryStatement?: string;
  DeliveryS3Uri?: string;
  QueryAlias?: string;
  QueryParameters?: string[];
  EventDataStoreOwnerAccountId?: string;
}
export interface StartQueryResponse {
  QueryId?: string;
  EventDataStoreOwnerAccountId?: string;
}
export interface StopEventDataStoreIngestionRequest {
  EventDataStore: string;
}
export type StopEventDataStoreIngestionResponse = Record<string, never>;
export interface StopImportRequest {
  ImportId: string;
}
export interface StopImportResponse {
  ImportId?: string;
  ImportSource?: ImportSource;
  Destinations?: string[];
  ImportStatus?: ImportStatus;
  CreatedTimestamp?: Date;
  UpdatedTimestamp?: Date;
  StartEventTime?: Date;
  EndEventTime?: Date;
  ImportStatistics?: ImportStatistics;
}
export interface StopLoggingRequest {
  Name: string;
}
export type StopLoggingResponse = Record<string, never>;
export interface Tag {
  Key: string;
  Value?: string;
}
export interface Trail {
  Name?: string;
  S3BucketName?: string;
  S3KeyPrefix?: string;
  SnsTopicName?: string;
  SnsTopicARN?: string;
  IncludeGlobalServiceEvents?: boolean;
  IsMultiRegionTrail?: boolean;
  HomeRegion?: string;
  TrailARN?: string;
  LogFileValidationEnabled?: boolean;
  CloudWatchLogsLogGroupArn?: string;
  CloudWatchLogsRoleArn?: string;
  KmsKeyId?: string;
  HasCustomEventSelectors?: boolean;
  HasInsightSelectors?: boolean;
  IsOrganizationTrail?: boolean;
}
export interface TrailInfo {
  TrailARN?: string;
  Name?: string;
  HomeRegion?: string;
}
export interface UpdateChannelRequest {
  Channel: string;
  Destinations?: Destination[];
  Name?: string;
}
export interface UpdateChannelResponse {
  ChannelArn?: string;
  Name?: string;
  Source?: string;
  Destinations?: Destination[];
}
export interface UpdateDashboardRequest {
  DashboardId: string;
  Widgets?: RequestWidget[];
  RefreshSchedule?: RefreshSchedule;
  TerminationProtectionEnabled?: boolean;
}
export interface UpdateDashboardResponse {
  DashboardArn?: string;
  Name?: string;
  Type?: DashboardType;
  Widgets?: Widget[];
  RefreshSchedule?: RefreshSchedule;
  TerminationProtectionEnabled?: boolean;
  CreatedTimestamp?: Date;
  UpdatedTimestamp?: Date;
}
export interface UpdateEventDataStoreRequest {
  EventDataStore: string;
  Name?: string;
  AdvancedEventSelectors?: AdvancedEventSelector[];
  MultiRegionEnabled?: boolean;
  OrganizationEnabled?: boolean;
  RetentionPeriod?: number;
  TerminationProtectionEnabled?: boolean;
  KmsKeyId?: string;
  BillingMode?: BillingMode;
}
export interface UpdateEventDataStoreResponse {
  EventDataStoreArn?: string;
  Name?: string;
  Status?: EventDataStoreStatus;
  AdvancedEventSelectors?: AdvancedEventSelector[];
  MultiRegionEnabled?: boolean;
  OrganizationEnabled?: boolean;
  RetentionPeriod?: number;
  TerminationProtectionEnabled?: boolean;
  CreatedTimestamp?: Date;
  UpdatedTimestamp?: Date;
  KmsKeyId?: string;
  BillingMode?: BillingMode;
  FederationStatus?: FederationStatus;
  FederationRoleArn?: string;
}
export interface UpdateTrailRequest {
  Name: string;
  S3BucketName?: string;
  S3KeyPrefix?: string;
  SnsTopicName?: string;
  IncludeGlobalServiceEvents?: boolean;
  IsMultiRegionTrail?: boolean;
  EnableLogFileValidation?: boolean;
  CloudWatchLogsLogGroupArn?: string;
  CloudWatchLogsRoleArn?: string;
  KmsKeyId?: string;
  IsOrganizationTrail?: boolean;
}
export interface UpdateTrailResponse {
  Name?: string;
  S3BucketName?: string;
  S3KeyPrefix?: string;
  SnsTopicName?: string;
  SnsTopicARN?: string;
  IncludeGlobalServiceEvents?: boolean;
  IsMultiRegionTrail?: boolean;
  TrailARN?: string;
  LogFileValidationEnabled?: boolean;
  CloudWatchLogsLogGroupArn?: string;
  CloudWatchLogsRoleArn?: string;
  KmsKeyId?: string;
  IsOrganizationTrail?: boolean;
}
export interface Widget {
  QueryAlias?: string;
  QueryStatement?: string;
  QueryParameters?: string[];
  ViewProperties?: Record<string, string>;
}

/** Every operation: its input, its output (an empty record when AWS returns none) and its modeled errors. */
export interface Operations {
  AddTags: { input: AddTagsRequest; output: AddTagsResponse; errors: 'ResourceNotFound' | 'CloudTrailARNInvalid' | 'EventDataStoreARNInvalid' | 'ChannelARNInvalid' | 'ResourceTypeNotSupported' | 'TagsLimitExceeded' | 'InvalidTrailName' | 'InvalidTagParameter' | 'InactiveEventDataStore' | 'EventDataStoreNotFound' | 'ChannelNotFound' | 'UnsupportedOperation' | 'OperationNotPermitted' | 'NotOrganizationMasterAccount' | 'NoManagementAccountSLRExists' | 'Conflict' };
  CancelQuery: { input: CancelQueryRequest; output: CancelQueryResponse; errors: 'EventDataStoreARNInvalid' | 'EventDataStoreNotFound' | 'InactiveEventDataStore' | 'InactiveQuery' | 'InvalidParameter' | 'QueryIdNotFound' | 'OperationNotPermitted' | 'UnsupportedOperation' | 'NoManagementAccountSLRExists' | 'Conflict' };
  CreateChannel: { input: CreateChannelRequest; output: CreateChannelResponse; errors: 'ChannelMaxLimitExceeded' | 'InvalidSource' | 'ChannelAlreadyExists' | 'EventDataStoreARNInvalid' | 'EventDataStoreNotFound' | 'InvalidEventDataStoreCategory' | 'InactiveEventDataStore' | 'InvalidParameter' | 'InvalidTagParameter' | 'TagsLimitExceeded' | 'OperationNotPermitted' | 'UnsupportedOperation' };
  CreateDashboard: { input: CreateDashboardRequest; output: CreateDashboardResponse; errors: 'Conflict' | 'InvalidTagParameter' | 'EventDataStoreNotFound' | 'InactiveEventDataStore' | 'InsufficientEncryptionPolicy' | 'InvalidQueryStatement' | 'ServiceQuotaExceeded' | 'UnsupportedOperation' };
  CreateEventDataStore: { input: CreateEventDataStoreRequest; output: CreateEventDataStoreResponse; errors: 'EventDataStoreAlreadyExists' | 'EventDataStoreMaxLimitExceeded' | 'InvalidEventSelectors' | 'InvalidParameter' | 'InvalidTagParameter' | 'OperationNotPermitted' | 'UnsupportedOperation' | 'Conflict' | 'InsufficientEncryptionPolicy' | 'InvalidKmsKeyId' | 'KmsKeyNotFound' | 'Kms' | 'CloudTrailAccessNotEnabled' | 'InsufficientDependencyServiceAccessPermission' | 'NotOrganizationMasterAccount' | 'OrganizationsNotInUse' | 'OrganizationNotInAllFeaturesMode' | 'NoManagementAccountSLRExists' | 'Throttling' };
  CreateTrail: { input: CreateTrailRequest; output: CreateTrailResponse; errors: 'MaximumNumberOfTrailsExceeded' | 'TrailAlreadyExists' | 'S3BucketDoesNotExist' | 'InsufficientS3BucketPolicy' | 'InsufficientSnsTopicPolicy' | 'InsufficientEncryptionPolicy' | 'InvalidS3BucketName' | 'InvalidS3Prefix' | 'InvalidSnsTopicName' | 'InvalidKmsKeyId' | 'InvalidTrailName' | 'TrailNotProvided' | 'TagsLimitExceeded' | 'InvalidParameterCombination' | 'InvalidParameter' | 'KmsKeyNotFound' | 'KmsKeyDisabled' | 'Kms' | 'InvalidCloudWatchLogsLogGroupArn' | 'InvalidCloudWatchLogsRoleArn' | 'CloudWatchLogsDeliveryUnavailable' | 'InvalidTagParameter' | 'UnsupportedOperation' | 'OperationNotPermitted' | 'CloudTrailAccessNotEnabled' | 'InsufficientDependencyServiceAccessPermission' | 'NotOrganizationMasterAccount' | 'OrganizationsNotInUse' | 'OrganizationNotInAllFeaturesMode' | 'NoManagementAccountSLRExists' | 'CloudTrailInvalidClientTokenId' | 'Conflict' | 'Throttling' };
  DeleteChannel: { input: DeleteChannelRequest; output: DeleteChannelResponse; errors: 'ChannelARNInvalid' | 'ChannelNotFound' | 'OperationNotPermitted' | 'UnsupportedOperation' };
  DeleteDashboard: { input: DeleteDashboardRequest; output: DeleteDashboardResponse; errors: 'Conflict' | 'ResourceNotFound' | 'UnsupportedOperation' };
  DeleteEventDataStore: { input: DeleteEventDataStoreRequest; output: DeleteEventDataStoreResponse; errors: 'EventDataStoreARNInvalid' | 'EventDataStoreNotFound' | 'EventDataStoreTerminationProtected' | 'EventDataStoreHasOngoingImport' | 'InactiveEventDataStore' | 'InvalidParameter' | 'OperationNotPermitted' | 'UnsupportedOperation' | 'NotOrganizationMasterAccount' | 'NoManagementAccountSLRExists' | 'ChannelExistsForEDS' | 'InsufficientDependencyServiceAccessPermission' | 'Conflict' | 'EventDataStoreFederationEnabled' };
  DeleteResourcePolicy: { input: DeleteResourcePolicyRequest; output: DeleteResourcePolicyResponse; errors: 'ResourceARNNotValid' | 'ResourceNotFound' | 'ResourcePolicyNotFound' | 'ResourceTypeNotSupported' | 'Conflict' | 'OperationNotPermitted' | 'UnsupportedOperation' };
  DeleteTrail: { input: DeleteTrailRequest; output: DeleteTrailResponse; errors: 'TrailNotFound' | 'InvalidTrailName' | 'CloudTrailARNInvalid' | 'Conflict' | 'Throttling' | 'InvalidHomeRegion' | 'UnsupportedOperation' | 'OperationNotPermitted' | 'NotOrganizationMasterAccount' | 'NoManagementAccountSLRExists' | 'InsufficientDependencyServiceAccessPermission' };
  DeregisterOrganizationDelegatedAdmin: { input: DeregisterOrganizationDelegatedAdminRequest; output: DeregisterOrganizationDelegatedAdminResponse; errors: 'AccountNotFound' | 'AccountNotRegistered' | 'CloudTrailAccessNotEnabled' | 'Conflict' | 'InsufficientDependencyServiceAccessPermission' | 'InvalidParameter' | 'NotOrganizationManagementAccount' | 'OrganizationNotInAllFeaturesMode' | 'OrganizationsNotInUse' | 'UnsupportedOperation' | 'OperationNotPermitted' };
  DescribeQuery: { input: DescribeQueryRequest; output: DescribeQueryResponse; errors: 'EventDataStoreARNInvalid' | 'EventDataStoreNotFound' | 'InactiveEventDataStore' | 'InvalidParameter' | 'QueryIdNotFound' | 'OperationNotPermitted' | 'UnsupportedOperation' | 'NoManagementAccountSLRExists' };
  DescribeTrails: { input: DescribeTrailsRequest; output: DescribeTrailsResponse; errors: 'UnsupportedOperation' | 'OperationNotPermitted' | 'InvalidTrailName' | 'CloudTrailARNInvalid' | 'NoManagementAccountSLRExists' };
  DisableFederation: { input: DisableFederationRequest; output: DisableFederationResponse; errors: 'EventDataStoreARNInvalid' | 'EventDataStoreNotFound' | 'InvalidParameter' | 'InactiveEventDataStore' | 'OperationNotPermitted' | 'UnsupportedOperation' | 'CloudTrailAccessNotEnabled' | 'InsufficientDependencyServiceAccessPermission' | 'NotOrganizationMasterAccount' | 'NoManagementAccountSLRExists' | 'OrganizationsNotInUse' | 'OrganizationNotInAllFeaturesMode' | 'ConcurrentModification' | 'AccessDenied' };
  EnableFederation: { input: EnableFederationRequest; output: EnableFederationResponse; errors: 'EventDataStoreARNInvalid' | 'EventDataStoreNotFound' | 'InvalidParameter' | 'InactiveEventDataStore' | 'OperationNotPermitted' | 'UnsupportedOperation' | 'CloudTrailAccessNotEnabled' | 'InsufficientDependencyServiceAccessPermission' | 'NotOrganizationMasterAccount' | 'NoManagementAccountSLRExists' | 'OrganizationsNotInUse' | 'OrganizationNotInAllFeaturesMode' | 'ConcurrentModification' | 'AccessDenied' | 'EventDataStoreFederationEnabled' };
  GenerateQuery: { input: GenerateQueryRequest; output: GenerateQueryResponse; errors: 'EventDataStoreARNInvalid' | 'EventDataStoreNotFound' | 'InactiveEventDataStore' | 'InvalidParameter' | 'GenerateResponse' | 'OperationNotPermitted' | 'UnsupportedOperation' | 'NoManagementAccountSLRExists' };
  GetChannel: { input: GetChannelRequest; output: GetChannelResponse; errors: 'ChannelARNInvalid' | 'ChannelNotFound' | 'OperationNotPermitted' | 'UnsupportedOperation' };
  GetDashboard: { input: GetDashboardRequest; output: GetDashboardResponse; errors: 'ResourceNotFound' | 'UnsupportedOperation' };
  GetEventConfiguration: { input: GetEventConfigurationRequest; output: GetEventConfigurationResponse; errors: 'TrailNotFound' | 'InvalidTrailName' | 'CloudTrailARNInvalid' | 'UnsupportedOperation' | 'OperationNotPermitted' | 'EventDataStoreARNInvalid' | 'EventDataStoreNotFound' | 'InvalidEventDataStoreStatus' | 'InvalidParameter' | 'InvalidEventDataStoreCategory' | 'NoManagementAccountSLRExists' | 'InvalidParameterCombination' };
  GetEventDataStore: { input: GetEventDataStoreRequest; output: GetEventDataStoreResponse; errors: 'EventDataStoreARNInvalid' | 'EventDataStoreNotFound' | 'InvalidParameter' | 'OperationNotPermitted' | 'UnsupportedOperation' | 'NoManagementAccountSLRExists' };
  GetEventSelectors: { input: GetEventSelectorsRequest; output: GetEventSelectorsResponse; errors: 'TrailNotFound' | 'InvalidTrailName' | 'CloudTrailARNInvalid' | 'UnsupportedOperation' | 'OperationNotPermitted' | 'NoManagementAccountSLRExists' };
  GetImport: { input: GetImportRequest; output: GetImportResponse; errors: 'ImportNotFound' | 'InvalidParameter' | 'OperationNotPermitted' | 'UnsupportedOperation' };
  GetInsightSelectors: { input: GetInsightSelectorsRequest; output: GetInsightSelectorsResponse; errors: 'InvalidParameter' | 'InvalidParameterCombination' | 'TrailNotFound' | 'InvalidTrailName' | 'CloudTrailARNInvalid' | 'UnsupportedOperation' | 'OperationNotPermitted' | 'InsightNotEnabled' | 'NoManagementAccountSLRExists' | 'Throttling' };
  GetQueryResults: { input: GetQueryResultsRequest; output: GetQueryResultsResponse; errors: 'EventDataStoreARNInvalid' | 'EventDataStoreNotFound' | 'InactiveEventDataStore' | 'InvalidMaxResults' | 'InvalidNextToken' | 'InvalidParameter' | 'QueryIdNotFound' | 'InsufficientEncryptionPolicy' | 'OperationNotPermitted' | 'UnsupportedOperation' | 'NoManagementAccountSLRExists' };
  GetResourcePolicy: { input: GetResourcePolicyRequest; output: GetResourcePolicyResponse; errors: 'ResourceARNNotValid' | 'ResourceNotFound' | 'ResourcePolicyNotFound' | 'ResourceTypeNotSupported' | 'OperationNotPermitted' | 'UnsupportedOperation' };
  GetTrail: { input: GetTrailRequest; output: GetTrailResponse; errors: 'CloudTrailARNInvalid' | 'TrailNotFound' | 'InvalidTrailName' | 'UnsupportedOperation' | 'OperationNotPermitted' };
  GetTrailStatus: { input: GetTrailStatusRequest; output: GetTrailStatusResponse; errors: 'CloudTrailARNInvalid' | 'TrailNotFound' | 'InvalidTrailName' | 'UnsupportedOperation' | 'OperationNotPermitted' };
  ListChannels: { input: ListChannelsRequest; output: ListChannelsResponse; errors: 'InvalidNextToken' | 'OperationNotPermitted' | 'UnsupportedOperation' };
  ListDashboards: { input: ListDashboardsRequest; output: ListDashboardsResponse; errors: 'UnsupportedOperation' };
  ListEventDataStores: { input: ListEventDataStoresRequest; output: ListEventDataStoresResponse; errors: 'InvalidMaxResults' | 'InvalidNextToken' | 'OperationNotPermitted' | 'UnsupportedOperation' | 'NoManagementAccountSLRExists' };
  ListImportFailures: { input: ListImportFailuresRequest; output: ListImportFailuresResponse; errors: 'InvalidNextToken' | 'OperationNotPermitted' | 'UnsupportedOperation' | 'InvalidParameter' };
  ListImports: { input: ListImportsRequest; output: ListImportsResponse; errors: 'EventDataStoreARNInvalid' | 'InvalidNextToken' | 'InvalidParameter' | 'OperationNotPermitted' | 'UnsupportedOperation' };
  ListInsightsData: { input: ListInsightsDataRequest; output: ListInsightsDataResponse; errors: 'InvalidParameter' | 'OperationNotPermitted' | 'UnsupportedOperation' };
  ListInsightsMetricData: { input: ListInsightsMetricDataRequest; output: ListInsightsMetricDataResponse; errors: 'InvalidParameter' | 'InvalidTrailName' | 'OperationNotPermitted' | 'UnsupportedOperation' };
  ListPublicKeys: { input: ListPublicKeysRequest; output: ListPublicKeysResponse; errors: 'InvalidTimeRange' | 'UnsupportedOperation' | 'OperationNotPermitted' | 'InvalidToken' };
  ListQueries: { input: ListQueriesRequest; output: ListQueriesResponse; errors: 'EventDataStoreARNInvalid' | 'EventDataStoreNotFound' | 'InactiveEventDataStore' | 'InvalidDateRange' | 'InvalidMaxResults' | 'InvalidNextToken' | 'InvalidParameter' | 'InvalidQueryStatus' | 'OperationNotPermitted' | 'UnsupportedOperation' | 'NoManagementAccountSLRExists' };
  ListTags: { input: ListTagsRequest; output: ListTagsResponse; errors: 'ResourceNotFound' | 'CloudTrailARNInvalid' | 'EventDataStoreARNInvalid' | 'ChannelARNInvalid' | 'ResourceTypeNotSupported' | 'InvalidTrailName' | 'InactiveEventDataStore' | 'EventDataStoreNotFound' | 'UnsupportedOperation' | 'OperationNotPermitted' | 'InvalidToken' | 'NoManagementAccountSLRExists' };
  ListTrails: { input: ListTrailsRequest; output: ListTrailsResponse; errors: 'UnsupportedOperation' | 'OperationNotPermitted' };
  LookupEvents: { input: LookupEventsRequest; output: LookupEventsResponse; errors: 'InvalidLookupAttributes' | 'InvalidTimeRange' | 'InvalidMaxResults' | 'InvalidNextToken' | 'InvalidEventCategory' | 'UnsupportedOperation' | 'OperationNotPermitted' };
  PutEventConfiguration: { input: PutEventConfigurationRequest; output: PutEventConfigurationResponse; errors: 'TrailNotFound' | 'InvalidTrailName' | 'CloudTrailARNInvalid' | 'InvalidParameterCombination' | 'InvalidHomeRegion' | 'EventDataStoreARNInvalid' | 'EventDataStoreNotFound' | 'InvalidEventDataStoreStatus' | 'InvalidEventDataStoreCategory' | 'InactiveEventDataStore' | 'UnsupportedOperation' | 'OperationNotPermitted' | 'Throttling' | 'InvalidParameter' | 'Conflict' | 'NotOrganizationMasterAccount' | 'NoManagementAccountSLRExists' | 'InsufficientDependencyServiceAccessPermission' | 'InsufficientIAMAccessPermission' };
  PutEventSelectors: { input: PutEventSelectorsRequest; output: PutEventSelectorsResponse; errors: 'TrailNotFound' | 'InvalidTrailName' | 'CloudTrailARNInvalid' | 'InvalidHomeRegion' | 'InvalidEventSelectors' | 'Conflict' | 'Throttling' | 'UnsupportedOperation' | 'OperationNotPermitted' | 'NotOrganizationMasterAccount' | 'NoManagementAccountSLRExists' | 'InsufficientDependencyServiceAccessPermission' };
  PutInsightSelectors: { input: PutInsightSelectorsRequest; output: PutInsightSelectorsResponse; errors: 'InvalidParameter' | 'InvalidParameterCombination' | 'TrailNotFound' | 'InvalidTrailName' | 'CloudTrailARNInvalid' | 'InvalidHomeRegion' | 'InvalidInsightSelectors' | 'InsufficientS3BucketPolicy' | 'InsufficientEncryptionPolicy' | 'S3BucketDoesNotExist' | 'Kms' | 'UnsupportedOperation' | 'OperationNotPermitted' | 'NotOrganizationMasterAccount' | 'NoManagementAccountSLRExists' | 'Throttling' };
  PutResourcePolicy: { input: PutResourcePolicyRequest; output: PutResourcePolicyResponse; errors: 'ResourceARNNotValid' | 'ResourcePolicyNotValid' | 'ResourceNotFound' | 'ResourceTypeNotSupported' | 'Conflict' | 'OperationNotPermitted' | 'UnsupportedOperation' };
  RegisterOrganizationDelegatedAdmin: { input: RegisterOrganizationDelegatedAdminRequest; output: RegisterOrganizationDelegatedAdminResponse; errors: 'AccountRegistered' | 'AccountNotFound' | 'InsufficientDependencyServiceAccessPermission' | 'InvalidParameter' | 'CannotDelegateManagementAccount' | 'CloudTrailAccessNotEnabled' | 'Conflict' | 'DelegatedAdminAccountLimitExceeded' | 'NotOrganizationManagementAccount' | 'OrganizationNotInAllFeaturesMode' | 'OrganizationsNotInUse' | 'UnsupportedOperation' | 'OperationNotPermitted' | 'InsufficientIAMAccessPermission' };
  RemoveTags: { input: RemoveTagsRequest; output: RemoveTagsResponse; errors: 'ResourceNotFound' | 'CloudTrailARNInvalid' | 'EventDataStoreARNInvalid' | 'ChannelARNInvalid' | 'ResourceTypeNotSupported' | 'InvalidTrailName' | 'InvalidTagParameter' | 'InactiveEventDataStore' | 'EventDataStoreNotFound' | 'ChannelNotFound' | 'UnsupportedOperation' | 'OperationNotPermitted' | 'NotOrganizationMasterAccount' | 'NoManagementAccountSLRExists' | 'Conflict' };
  RestoreEventDataStore: { input: RestoreEventDataStoreRequest; output: RestoreEventDataStoreResponse; errors: 'EventDataStoreARNInvalid' | 'EventDataStoreNotFound' | 'EventDataStoreMaxLimitExceeded' | 'InvalidEventDataStoreStatus' | 'InvalidParameter' | 'OperationNotPermitted' | 'UnsupportedOperation' | 'CloudTrailAccessNotEnabled' | 'InsufficientDependencyServiceAccessPermission' | 'OrganizationsNotInUse' | 'NotOrganizationMasterAccount' | 'NoManagementAccountSLRExists' | 'OrganizationNotInAllFeaturesMode' };
  SearchSampleQueries: { input: SearchSampleQueriesRequest; output: SearchSampleQueriesResponse; errors: 'InvalidParameter' | 'UnsupportedOperation' | 'OperationNotPermitted' };
  StartDashboardRefresh: { input: StartDashboardRefreshRequest; output: StartDashboardRefreshResponse; errors: 'ResourceNotFound' | 'EventDataStoreNotFound' | 'InactiveEventDataStore' | 'ServiceQuotaExceeded' | 'UnsupportedOperation' };
  StartEventDataStoreIngestion: { input: StartEventDataStoreIngestionRequest; output: StartEventDataStoreIngestionResponse; errors: 'EventDataStoreARNInvalid' | 'EventDataStoreNotFound' | 'InvalidEventDataStoreStatus' | 'InvalidParameter' | 'InvalidEventDataStoreCategory' | 'OperationNotPermitted' | 'UnsupportedOperation' | 'NotOrganizationMasterAccount' | 'NoManagementAccountSLRExists' | 'InsufficientDependencyServiceAccessPermission' | 'Conflict' };
  StartImport: { input: StartImportRequest; output: StartImportResponse; errors: 'AccountHasOngoingImport' | 'EventDataStoreARNInvalid' | 'EventDataStoreNotFound' | 'InvalidEventDataStoreStatus' | 'InvalidEventDataStoreCategory' | 'InactiveEventDataStore' | 'InvalidImportSource' | 'ImportNotFound' | 'InvalidParameter' | 'InsufficientEncryptionPolicy' | 'OperationNotPermitted' | 'UnsupportedOperation' | 'OperationNotPermitted' | 'UnsupportedOperation' };
  StartLogging: { input: StartLoggingRequest; output: StartLoggingResponse; errors: 'CloudTrailARNInvalid' | 'Conflict' | 'Throttling' | 'TrailNotFound' | 'InvalidTrailName' | 'InvalidHomeRegion' | 'UnsupportedOperation' | 'OperationNotPermitted' | 'NotOrganizationMasterAccount' | 'NoManagementAccountSLRExists' | 'InsufficientDependencyServiceAccessPermission' };
  StartQuery: { input: StartQueryRequest; output: StartQueryResponse; errors: 'EventDataStoreARNInvalid' | 'EventDataStoreNotFound' | 'InactiveEventDataStore' | 'InvalidParameter' | 'InvalidQueryStatement' | 'MaxConcurrentQueries' | 'InsufficientEncryptionPolicy' | 'InvalidS3Prefix' | 'InvalidS3BucketName' | 'InsufficientS3BucketPolicy' | 'S3BucketDoesNotExist' | 'OperationNotPermitted' | 'UnsupportedOperation' | 'NoManagementAccountSLRExists' };
  StopEventDataStoreIngestion: { input: StopEventDataStoreIngestionRequest; output: StopEventDataStoreIngestionResponse; errors: 'EventDataStoreARNInvalid' | 'EventDataStoreNotFound' | 'InvalidEventDataStoreStatus' | 'InvalidParameter' | 'InvalidEventDataStoreCategory' | 'OperationNotPermitted' | 'UnsupportedOperation' | 'NotOrganizationMasterAccount' | 'NoManagementAccountSLRExists' | 'InsufficientDependencyServiceAccessPermission' | 'Conflict' };
  StopImport: { input: StopImportRequest; output: StopImportResponse; errors: 'ImportNotFound' | 'InvalidParameter' | 'OperationNotPermitted' | 'UnsupportedOperation' };
  StopLogging: { input: StopLoggingRequest; output: StopLoggingResponse; errors: 'TrailNotFound' | 'InvalidTrailName' | 'CloudTrailARNInvalid' | 'Conflict' | 'Throttling' | 'InvalidHomeRegion' | 'UnsupportedOperation' | 'OperationNotPermitted' | 'NotOrganizationMasterAccount' | 'NoManagementAccountSLRExists' | 'InsufficientDependencyServiceAccessPermission' };
  UpdateChannel: { input: UpdateChannelRequest; output: UpdateChannelResponse; errors: 'ChannelARNInvalid' | 'ChannelNotFound' | 'ChannelAlreadyExists' | 'EventDataStoreARNInvalid' | 'EventDataStoreNotFound' | 'InvalidEventDataStoreCategory' | 'InactiveEventDataStore' | 'InvalidParameter' | 'OperationNotPermitted' | 'UnsupportedOperation' };
  UpdateDashboard: { input: UpdateDashboardRequest; output: UpdateDashboardResponse; errors: 'Conflict' | 'ResourceNotFound' | 'EventDataStoreNotFound' | 'InactiveEventDataStore' | 'InsufficientEncryptionPolicy' | 'InvalidQueryStatement' | 'ServiceQuotaExceeded' | 'UnsupportedOperation' };
  UpdateEventDataStore: { input: UpdateEventDataStoreRequest; output: UpdateEventDataStoreResponse; errors: 'EventDataStoreAlreadyExists' | 'EventDataStoreARNInvalid' | 'EventDataStoreNotFound' | 'InvalidEventSelectors' | 'InvalidInsightSelectors' | 'EventDataStoreHasOngoingImport' | 'InactiveEventDataStore' | 'InvalidParameter' | 'OperationNotPermitted' | 'UnsupportedOperation' | 'InsufficientEncryptionPolicy' | 'InvalidKmsKeyId' | 'KmsKeyNotFound' | 'Kms' | 'CloudTrailAccessNotEnabled' | 'InsufficientDependencyServiceAccessPermission' | 'OrganizationsNotInUse' | 'NotOrganizationMasterAccount' | 'NoManagementAccountSLRExists' | 'OrganizationNotInAllFeaturesMode' | 'Conflict' | 'Throttling' };
  UpdateTrail: { input: UpdateTrailRequest; output: UpdateTrailResponse; errors: 'S3BucketDoesNotExist' | 'InsufficientS3BucketPolicy' | 'InsufficientSnsTopicPolicy' | 'InsufficientEncryptionPolicy' | 'TrailNotFound' | 'InvalidS3BucketName' | 'InvalidS3Prefix' | 'InvalidSnsTopicName' | 'InvalidKmsKeyId' | 'InvalidTrailName' | 'TrailNotProvided' | 'InvalidEventSelectors' | 'CloudTrailARNInvalid' | 'Conflict' | 'Throttling' | 'InvalidParameterCombination' | 'InvalidHomeRegion' | 'KmsKeyNotFound' | 'KmsKeyDisabled' | 'Kms' | 'InvalidCloudWatchLogsLogGroupArn' | 'InvalidCloudWatchLogsRoleArn' | 'CloudWatchLogsDeliveryUnavailable' | 'UnsupportedOperation' | 'OperationNotPermitted' | 'CloudTrailAccessNotEnabled' | 'InsufficientDependencyServiceAccessPermission' | 'OrganizationsNotInUse' | 'NotOrganizationMasterAccount' | 'OrganizationNotInAllFeaturesMode' | 'NoManagementAccountSLRExists' | 'CloudTrailInvalidClientTokenId' | 'InvalidParameter' };
}

export type OperationName = keyof Operations;
