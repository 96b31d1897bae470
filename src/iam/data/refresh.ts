// Rebuild the AWS-managed policy catalogue from a checkout of github.com/zoph-io/MAMIP (its data only:
// policies-list.json, AWS's own `aws iam list-policies --scope AWS` answer, and policies/<name>, AWS's
// `aws iam get-policy-version` answer for each policy's default version).
//
//   npm run build && node dist/src/iam/data/refresh.js PATH_TO_MAMIP_CHECKOUT COMMIT DATE
//
// Writes two files into src/iam/data/ (README.md describes them):
//   aws-managed-policies.json.gz       the index: { source, policies: [[name, policyId, path, defaultVersionId,
//                                      createDate, updateDate, versionCreateDate, isAttachable, offset, length]] },
//                                      sorted by name
//   aws-managed-policy-documents.gz    one gzip member per policy, in index order, holding its default document
//                                      (AWS's JSON, compact, AWS's key order) and a newline; offset/length locate
//                                      the member, so one document is read without inflating the others
// Policies MAMIP keeps as deprecated (a file but no entry in policies-list.json) are left out.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { sourcePath } from '../../paths.js';

/** The fields read from MAMIP's policies-list.json (AWS's ListPolicies answer). */
interface ListedPolicy {
  PolicyName: string; PolicyId: string; Arn: string; Path: string; DefaultVersionId: string;
  CreateDate: string; UpdateDate: string; IsAttachable: boolean;
}
/** The fields read from a policies/<name> file (AWS's GetPolicyVersion answer). */
interface PolicyVersionFile { PolicyVersion: { VersionId: string; CreateDate: string; Document: unknown } }

const [dir, commit, date] = process.argv.slice(2);
if (!dir || !commit || !date) {
  console.error('usage: node dist/src/iam/data/refresh.js PATH_TO_MAMIP_CHECKOUT COMMIT DATE');
  process.exit(2);
}
const iso = (d: string): string => new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z');
const lower = (s: string): string => s.toLowerCase();
const list = (JSON.parse(readFileSync(join(dir, 'policies-list.json'), 'utf8')) as { Policies: ListedPolicy[] }).Policies; // AWS's answer, as MAMIP stores it
list.sort((a, b) => (lower(a.PolicyName) < lower(b.PolicyName) ? -1 : lower(a.PolicyName) > lower(b.PolicyName) ? 1 : 0));

const members: Buffer[] = [];
let offset = 0;
const policies = list.map((p) => {
  const v = (JSON.parse(readFileSync(join(dir, 'policies', p.PolicyName), 'utf8')) as PolicyVersionFile).PolicyVersion; // AWS's answer, as MAMIP stores it
  if (v.VersionId !== p.DefaultVersionId) throw new Error(`${p.PolicyName}: file has ${v.VersionId}, list says ${p.DefaultVersionId}`);
  if (p.Arn !== `arn:aws:iam::aws:policy${p.Path}${p.PolicyName}`) throw new Error(`${p.PolicyName}: unexpected ARN ${p.Arn}`);
  const member = gzipSync(`${JSON.stringify(v.Document)}\n`, { level: 9 });
  members.push(member);
  const row = [p.PolicyName, p.PolicyId, p.Path, p.DefaultVersionId, iso(p.CreateDate), iso(p.UpdateDate), iso(v.CreateDate), p.IsAttachable ? 1 : 0, offset, member.length];
  offset += member.length;
  return row;
});
const index = gzipSync(JSON.stringify({ source: { repository: 'https://github.com/zoph-io/MAMIP', commit, date }, policies }), { level: 9 });
writeFileSync(sourcePath('src', 'iam', 'data', 'aws-managed-policies.json.gz'), index);
writeFileSync(sourcePath('src', 'iam', 'data', 'aws-managed-policy-documents.gz'), Buffer.concat(members));
console.log(`${policies.length} policies; index ${index.length} bytes, documents ${offset} bytes`);
