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
const DESCRIPTIONS = {
  AdministratorAccess: 'Provides full access to AWS services and resources.',
  ReadOnlyAccess: 'Provides read-only access to AWS services and resources.',
  IAMReadOnlyAccess: 'Provides read only access to IAM via the AWS Management Console.',
  IAMUserChangePassword: 'Provides the ability for an IAM user to change their own password.',
  IAMFullAccess: 'Provides full access to IAM via the AWS Management Console.',
};

let documentsBuffer = null;
const documents = new Map(); // index in the catalogue → document text

function readDocument(entry) {
  let text = documents.get(entry.index);
  if (text === undefined) {
    documentsBuffer ??= readFileSync(DOCUMENTS_FILE);
    text = gunzipSync(documentsBuffer.subarray(entry.offset, entry.offset + entry.length)).toString('utf8').trimEnd();
    documents.set(entry.index, text);
  }
  return text;
}

/** One AWS-managed policy; `document` (the default version's JSON text) is read on first use. */
class AwsManagedPolicy {
  constructor(row, index) {
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

  get document() { return readDocument(this.location); }
}

let catalogue = null;
function load() {
  if (!catalogue) {
    const data = JSON.parse(gunzipSync(readFileSync(INDEX_FILE)).toString('utf8'));
    const list = Object.freeze(data.policies.map((row, i) => new AwsManagedPolicy(row, i)));
    catalogue = { list, byArn: new Map(list.map((p) => [p.arn, p])), source: Object.freeze(data.source) };
  }
  return catalogue;
}

/** Every AWS-managed policy, sorted by name (case-insensitively). */
export const awsManagedPolicies = () => load().list;
/** The AWS-managed policy with this ARN, or null. */
export const awsManagedPolicy = (policyArn) => load().byArn.get(policyArn) ?? null;
/** Where the catalogue comes from: { repository, commit, date }. */
export const awsManagedPoliciesSource = () => load().source;
export const isAwsManagedArn = (policyArn) => policyArn.startsWith(arn.awsManagedPolicy('/'));
