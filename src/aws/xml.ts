// Generic AWS Query-protocol output: typed output (or an error) to the exact XML envelope the SDKs parse.
// Driven by the output shape: member order, lists as <member>, maps as <entry><key/><value/>, lowercase
// booleans, ISO-8601 timestamps, base64 blobs, URL-encoded policy documents, empty lists still sent.
import { XMLBuilder } from 'fast-xml-parser';
import type { ServiceDescriptor } from './model.js';
import type { ShapeModel } from './models/model-files.js';
import type { ServiceError } from '../errors.js';

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: false });
const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

// Documents of these shapes go out URL-encoded, as IAM sends them (botocore unquotes them).
const URL_ENCODED_SHAPES = new Set(['policyDocumentType']);

/** A timestamp as AWS writes it (no milliseconds); handlers give a Date, older code an ISO string. */
export function isoTimestamp(value: Date | string | number): string {
  const d = value instanceof Date ? value : new Date(value);
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** What the builder takes: text, or elements by name (a repeated element as an array). */
type XmlNode = string | { [name: string]: XmlNode | XmlNode[] };

// `value` is what the handler returned for this shape: its type is the generated one for the same model, so the
// shape's type says what it is (a structure an object, a list an array, a map a record).
function toNode(shapes: Readonly<Record<string, ShapeModel>>, shapeName: string, value: unknown): XmlNode {
  const shape = shapes[shapeName]!; // every shape a model names is in the model
  switch (shape.type) {
    case 'structure': {
      const node: Record<string, XmlNode> = {};
      const struct = value as Readonly<Record<string, unknown>>; // a structure's value: an object (see above)
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const v = struct[name];
        if (v === undefined || v === null) continue;
        node[name] = toNode(shapes, ref.shape, v);
      }
      return node;
    }
    case 'list': {
      const list = value as readonly unknown[]; // a list's value: an array (see above)
      if (list.length === 0) return '';
      const member = shape.member!.shape; // a list shape names its member
      return { member: list.map((v) => toNode(shapes, member, v)) };
    }
    case 'map': {
      const entries = Object.entries(value as Readonly<Record<string, unknown>>); // a map's value: a record (see above)
      if (entries.length === 0) return '';
      const key = shape.key!.shape; // a map shape names its key and value
      const val = shape.value!.shape;
      return { entry: entries.map(([k, v]) => ({ key: toNode(shapes, key, k), value: toNode(shapes, val, v) })) };
    }
    case 'boolean': return value ? 'true' : 'false';
    case 'timestamp': return isoTimestamp(value as Date | string); // a Date (generated types) or an ISO string
    case 'blob': return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : String(value);
    case 'string':
      return URL_ENCODED_SHAPES.has(shapeName) ? encodeURIComponent(String(value)) : String(value);
    default: return String(value);
  }
}

/** The success envelope: <OpResponse><OpResult>…</OpResult><ResponseMetadata>…</ResponseMetadata></OpResponse>. */
export function serializeResult(service: ServiceDescriptor, opName: string, output: object | undefined, requestId: string): string {
  const op = service.operations[opName]!; // the endpoint resolved opName in this service
  const body: Record<string, XmlNode | undefined> = { '@_xmlns': service.xmlNamespace };
  if (op.output) {
    const wrapper = op.output.resultWrapper ?? `${opName}Result`;
    body[wrapper] = toNode(service.shapes, op.output.shape, output ?? {});
  }
  body.ResponseMetadata = { RequestId: requestId };
  return XML_DECL + builder.build({ [`${opName}Response`]: body });
}

// Characters XML 1.0 cannot carry; a message that echoes input shows them as \uXXXX instead of breaking the XML.
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const xmlSafe = (s: string): string => String(s).replace(XML_ILLEGAL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** The error envelope every AWS Query service uses. */
export function serializeError(xmlNamespace: string | undefined, error: ServiceError & { readonly type: string }, requestId: string): string {
  return XML_DECL + builder.build({
    ErrorResponse: {
      '@_xmlns': xmlNamespace,
      Error: { Type: error.type, Code: error.code, Message: xmlSafe(error.message) },
      RequestId: requestId,
    },
  });
}
