// An operation's input and output as CloudTrail writes them in a record's requestParameters and responseElements,
// walked along the service model: members in camelCase (userName, policyArn, serialNumber), timestamps as IAM's
// CloudTrail records write them ("Nov 30, 2026 8:32:20 PM"), and every secret left out, as CloudTrail leaves the
// password out of CreateLoginProfile and the secret key out of CreateAccessKey: the model's sensitive members
// (passwords, secret access keys, MFA seeds and QR codes) and what the model does not mark but is as secret
// (session tokens, MFA codes). Read-only calls carry no responseElements, as in CloudTrail.
import type { ServiceModel, ShapeModel } from './models/model-files.js';

/** What the walk reads of a service model. */
export type ModelShapes = Pick<ServiceModel, 'operations' | 'shapes'>;

/** A JSON value of a record. */
export type RecordValue = null | boolean | number | string | RecordValue[] | { [key: string]: RecordValue };
export type RecordObject = { [key: string]: RecordValue };

// Secret members the model does not mark sensitive (it marks passwords, secret keys and the MFA bootstrap data).
const SECRET_MEMBERS = new Set(['SessionToken', 'AuthenticationCode1', 'AuthenticationCode2', 'TokenCode', 'Base32StringSeed', 'QRCodePNG', 'SecretAccessKey', 'Password', 'OldPassword', 'NewPassword', 'PrivateKey']);

/** A parameters object larger than this (as JSON) is left out of the record, which says so ("omitted"). */
export const MAX_ELEMENTS_CHARS = 100 * 1024;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A timestamp as IAM's and STS's CloudTrail records write them in responseElements: "Nov 30, 2026 8:32:20 PM" (UTC). */
export function cloudTrailDate(d: Date): string {
  const h = d.getUTCHours();
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} ${h % 12 === 0 ? 12 : h % 12}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

/** Whether CloudTrail marks this operation readOnly (reads, and the STS calls that issue credentials). */
export const isReadOnlyAction = (action: string): boolean => /^(Get|List|Simulate|Generate)/.test(action) || action === 'AssumeRole';

function walk(shapes: Readonly<Record<string, ShapeModel>>, shapeName: string, value: unknown, dates: 'iso' | 'cloudtrail'): RecordValue | undefined {
  const shape = shapes[shapeName];
  if (!shape || value === undefined || value === null) return undefined;
  if (shape.sensitive) return undefined;
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object') return undefined;
      const out: RecordObject = {};
      const struct = value as Readonly<Record<string, unknown>>; // a structure's value: an object (its generated type)
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        if (SECRET_MEMBERS.has(name)) continue;
        const v = walk(shapes, ref.shape, struct[name], dates);
        if (v !== undefined) out[lowerFirst(name)] = v;
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value)) return undefined;
      return value.map((v) => walk(shapes, shape.member!.shape, v, dates) ?? null); // a list names its member
    }
    case 'map': {
      if (typeof value !== 'object') return undefined;
      const out: RecordObject = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) { // a map's value: a record
        const w = walk(shapes, shape.value!.shape, v, dates); // a map names its value
        if (w !== undefined) out[k] = w;
      }
      return out;
    }
    case 'timestamp': {
      const d = value instanceof Date ? value : new Date(String(value));
      if (Number.isNaN(d.getTime())) return undefined;
      return dates === 'cloudtrail' ? cloudTrailDate(d) : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    case 'blob': return undefined; // binary members (QR codes, SAML) never go into a record
    case 'boolean': return Boolean(value);
    case 'integer': case 'long': case 'double': case 'float': return Number(value);
    default: return String(value);
  }
}

function bounded(v: RecordValue | undefined): RecordObject | null {
  if (v === undefined || v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  if (Object.keys(v).length === 0) return null;
  if (JSON.stringify(v).length > MAX_ELEMENTS_CHARS) return { omitted: true };
  return v;
}

/** requestParameters: the parsed input in camelCase, secrets left out; null when nothing is left. */
export function requestParametersOf(service: ModelShapes, action: string, input: object): RecordObject | null {
  const op = service.operations[action];
  if (!op?.input) return null;
  return bounded(walk(service.shapes, op.input.shape, input, 'iso'));
}

/** responseElements: a changing call's output in camelCase, secrets left out; null for reads and failures. */
export function responseElementsOf(service: ModelShapes, serviceName: string, action: string, output: object | undefined): RecordObject | null {
  const op = service.operations[action];
  // STS's credential-issuing calls are read-only and still record what they issued (its id and expiry).
  if (!op?.output || output === undefined || (isReadOnlyAction(action) && (serviceName !== 'sts' || action === 'GetCallerIdentity'))) return null;
  return bounded(walk(service.shapes, op.output.shape, output, 'cloudtrail'));
}
