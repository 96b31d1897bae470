// AWS Query-protocol output: typed output (or an error) to the exact XML envelope the SDKs parse, written as
// strings straight from the model (issue 12 measured the generic object-to-XML builder it replaced at about three
// times the cost). Driven by the output shape: member order, lists as <member>, maps as <entry><key/><value/>, lowercase booleans,
// ISO-8601 timestamps, base64 blobs, URL-encoded policy documents, empty lists still sent.
import type { ServiceDescriptor } from './model.js';
import type { ShapeModel } from './models/model-files.js';
import type { ServiceError } from '../errors.js';

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

// Documents of these shapes go out URL-encoded, as IAM sends them (botocore unquotes them).
const URL_ENCODED_SHAPES = new Set(['policyDocumentType']);

// Text and attribute values: the five characters XML reserves, as entities (what the generic builder this replaced
// wrote, so the output is byte-identical: test/unit/xml.test.ts).
const HAS_SPECIAL = /[&<>'"]/;
const SPECIAL = /[&<>'"]/g;
const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&apos;', '"': '&quot;' };
const escapeXml = (s: string): string => (HAS_SPECIAL.test(s) ? s.replace(SPECIAL, (c) => ENTITIES[c]!) : s); // SPECIAL matches only ENTITIES' keys

/** A timestamp as AWS writes it (no milliseconds); handlers give a Date, older code an ISO string. */
export function isoTimestamp(value: Date | string | number): string {
  const d = value instanceof Date ? value : new Date(value);
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A structure's members in model order, with their shapes: looked up once per shape, not per response. */
const membersOf = new WeakMap<ShapeModel, ReadonlyArray<readonly [string, string]>>();
function members(shape: ShapeModel): ReadonlyArray<readonly [string, string]> {
  let list = membersOf.get(shape);
  if (list === undefined) {
    list = Object.entries(shape.members ?? {}).map(([name, ref]) => [name, ref.shape] as const);
    membersOf.set(shape, list);
  }
  return list;
}

/** An element's text: the value as the shape writes it (booleans lowercase, timestamps ISO-8601 without ms, …). */
function text(shape: ShapeModel, shapeName: string, value: unknown): string {
  switch (shape.type) {
    case 'boolean': return value ? 'true' : 'false';
    case 'timestamp': return isoTimestamp(value as Date | string); // a Date (generated types) or an ISO string
    case 'blob': return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : String(value);
    case 'string': return URL_ENCODED_SHAPES.has(shapeName) ? encodeURIComponent(String(value)) : String(value);
    default: return String(value);
  }
}

// `value` is what the handler returned for this shape: its type is the generated one for the same model, so the
// shape's type says what it is (a structure an object, a list an array, a map a record). Writes <tag>…</tag>: members
// in model order, absent (undefined or null) members left out, lists as <member>, maps as <entry><key/><value/>,
// empty lists, maps and structures as <tag></tag>.
function element(shapes: Readonly<Record<string, ShapeModel>>, shapeName: string, value: unknown, tag: string): string {
  const shape = shapes[shapeName]!; // every shape a model names is in the model
  let inner = '';
  switch (shape.type) {
    case 'structure': {
      const struct = value as Readonly<Record<string, unknown>>; // a structure's value: an object (see above)
      for (const [name, memberShape] of members(shape)) {
        const v = struct[name];
        if (v !== undefined && v !== null) inner += element(shapes, memberShape, v, name);
      }
      break;
    }
    case 'list': {
      const member = shape.member!.shape; // a list shape names its member
      for (const v of value as readonly unknown[]) inner += element(shapes, member, v, 'member'); // a list's value: an array (see above)
      break;
    }
    case 'map': {
      const key = shape.key!.shape; // a map shape names its key and value
      const val = shape.value!.shape;
      for (const [k, v] of Object.entries(value as Readonly<Record<string, unknown>>)) { // a map's value: a record (see above)
        inner += `<entry>${element(shapes, key, k, 'key')}${element(shapes, val, v, 'value')}</entry>`;
      }
      break;
    }
    default: inner = escapeXml(text(shape, shapeName, value));
  }
  return `<${tag}>${inner}</${tag}>`;
}

const xmlnsAttribute = (ns: string | undefined): string => (ns === undefined ? '' : ` xmlns="${escapeXml(ns)}"`);

/** The success envelope: <OpResponse><OpResult>…</OpResult><ResponseMetadata>…</ResponseMetadata></OpResponse>. */
export function serializeResult(service: ServiceDescriptor, opName: string, output: object | undefined, requestId: string): string {
  const op = service.operations[opName]!; // the endpoint resolved opName in this service
  const result = op.output ? element(service.shapes, op.output.shape, output ?? {}, op.output.resultWrapper ?? `${opName}Result`) : '';
  return `${XML_DECL}<${opName}Response${xmlnsAttribute(service.xmlNamespace)}>${result}` +
    `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${opName}Response>`;
}

// Characters XML 1.0 cannot carry; a message that echoes input shows them as \uXXXX instead of breaking the XML.
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const xmlSafe = (s: string): string => String(s).replace(XML_ILLEGAL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** The error envelope every AWS Query service uses. */
export function serializeError(xmlNamespace: string | undefined, error: ServiceError & { readonly type: string }, requestId: string): string {
  return `${XML_DECL}<ErrorResponse${xmlnsAttribute(xmlNamespace)}><Error><Type>${escapeXml(error.type)}</Type><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(xmlSafe(error.message))}</Message></Error><RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`;
}
