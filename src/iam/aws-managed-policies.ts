// The AWS-managed policies (arn:aws:iam::aws:policy/...): AWS's whole catalogue as AWS publishes it — name, id,
// path, default version, dates and the default version's document — from the data in ./data (README.md there
// says where it comes from and how to refresh it). They are the same for every account, cannot be changed or
// deleted, and only their attachments are stored.
//
// Loaded lazily, so start-up pays nothing: the index (about 60 KB gzipped) on the first look-up of any AWS-managed
// policy, and each document on its first use — the documents file holds one gzip member per policy, so reading
// AdministratorAccess does not inflate the other 1,400-odd documents.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { arn } from './arn.js';
import { sourcePath } from '../paths.js';

const INDEX_FILE = sourcePath('src', 'iam', 'data', 'aws-managed-policies.json.gz');
const DOCUMENTS_FILE = sourcePath('src', 'iam', 'data', 'aws-managed-policy-documents.gz');

// AWS's descriptions of the policies Gatehouse's own docs and bootstrap rely on. The data source carries none
// (ListPolicies leaves Description out), so GetPolicy on any other AWS-managed policy has no Description.
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  AdministratorAccess: 'Provides full access to AWS services and resources.',
  ReadOnlyAccess: 'Provides read-only access to AWS services and resources.',
  IAMReadOnlyAccess: 'Provides read only access to IAM via the AWS Management Console.',
  IAMUserChangePassword: 'Provides the ability for an IAM user to change their own password.',
  IAMFullAccess: 'Provides full access to IAM via the AWS Management Console.',
};

/** Where a policy's document sits in the documents file. */
interface Location { readonly index: number; readonly offset: number; readonly length: number }

/** One row of the index: name, policyId, path, defaultVersionId, createDate, updateDate, versionCreateDate, isAttachable (1/0), offset, length. */
type IndexRow = [string, string, string, string, string, string, string, number, number, number];

/** The index file's content (./data/refresh.ts writes it). */
interface IndexFile { readonly source: CatalogueSource; readonly policies: IndexRow[] }

/** Where the catalogue comes from. */
export interface CatalogueSource { readonly repository: string; readonly commit: string; readonly date: string }

let documentsBuffer: Buffer | null = null;
const documents = new Map<number, string>(); // index in the catalogue → document text

function readDocument(entry: Location): string {
  let text = documents.get(entry.index);
  if (text === undefined) {
    documentsBuffer ??= readFileSync(DOCUMENTS_FILE);
    text = gunzipSync(documentsBuffer.subarray(entry.offset, entry.offset + entry.length)).toString('utf8').trimEnd();
    documents.set(entry.index, text);
  }
  return text;
}

/** One AWS-managed policy; `document` (the default version's JSON text) is read on first use. */
export class AwsManagedPolicy {
  readonly name: string;
  readonly policyId: string;
  readonly path: string;
  readonly arn: string;
  readonly versionId: string;
  /** ISO 8601 dates as AWS lists them. */
  readonly createDate: string;
  readonly updateDate: string;
  readonly versionCreateDate: string;
  readonly isAttachable: boolean;
  readonly description: string | undefined;
  // Non-enumerable (defined below), so the policy's own properties are only AWS's fields.
  declare private readonly location: Location;

  constructor(row: IndexRow, index: number) {
    const [name, policyId, path, versionId, createDate, updateDate, versionCreateDate, isAttachable, offset, length] = row;
    this.name = name;
    this.policyId = policyId;
    this.path = path;
    this.arn = arn.awsManagedPolicy(`${path}${name}`);
    this.versionId = versionId;
    this.createDate = createDate;
    this.updateDate = updateDate;
    this.versionCreateDate = versionCreateDate;
    this.isAttachable = isAttachable === 1;
    this.description = DESCRIPTIONS[name];
    Object.defineProperty(this, 'location', { value: { index, offset, length } });
    Object.freeze(this);
  }

  get document(): string { return readDocument(this.location); }
}

interface Catalogue { readonly list: readonly AwsManagedPolicy[]; readonly byArn: ReadonlyMap<string, AwsManagedPolicy>; readonly source: CatalogueSource }

let catalogue: Catalogue | null = null;
function load(): Catalogue {
  if (!catalogue) {
    const data: IndexFile = JSON.parse(gunzipSync(readFileSync(INDEX_FILE)).toString('utf8')); // our own data file, written by ./data/refresh.ts
    const list = Object.freeze(data.policies.map((row, i) => new AwsManagedPolicy(row, i)));
    catalogue = { list, byArn: new Map(list.map((p) => [p.arn, p])), source: Object.freeze(data.source) };
  }
  return catalogue;
}

/** Every AWS-managed policy, sorted by name (case-insensitively). */
export const awsManagedPolicies = (): readonly AwsManagedPolicy[] => load().list;
/** The AWS-managed policy with this ARN, or null. */
export const awsManagedPolicy = (policyArn: string): AwsManagedPolicy | null => load().byArn.get(policyArn) ?? null;
/** Where the catalogue comes from: { repository, commit, date }. */
export const awsManagedPoliciesSource = (): CatalogueSource => load().source;
export const isAwsManagedArn = (policyArn: string): boolean => policyArn.startsWith(arn.awsManagedPolicy('/'));
