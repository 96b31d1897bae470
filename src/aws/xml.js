// Generic AWS Query-protocol output: typed output (or an error) to the exact XML envelope the SDKs parse.
// Driven by the output shape: member order, lists as <member>, maps as <entry><key/><value/>, lowercase
// booleans, ISO-8601 timestamps, base64 blobs, URL-encoded policy documents, empty lists still sent.
import { XMLBuilder } from 'fast-xml-parser';

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: false });
const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

// Documents of these shapes go out URL-encoded, as IAM sends them (botocore unquotes them).
const URL_ENCODED_SHAPES = new Set(['policyDocumentType']);

export function isoTimestamp(value) {
  const d = value instanceof Date ? value : new Date(value);
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function toNode(shapes, shapeName, value) {
  const shape = shapes[shapeName];
  switch (shape.type) {
    case 'structure': {
      const node = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const v = value[name];
        if (v === undefined || v === null) continue;
        node[name] = toNode(shapes, ref.shape, v);
      }
      return node;
    }
    case 'list': {
      if (value.length === 0) return '';
      return { member: value.map((v) => toNode(shapes, shape.member.shape, v)) };
    }
    case 'map': {
      const entries = Object.entries(value);
      if (entries.length === 0) return '';
      return { entry: entries.map(([k, v]) => ({ key: toNode(shapes, shape.key.shape, k), value: toNode(shapes, shape.value.shape, v) })) };
    }
    case 'boolean': return value ? 'true' : 'false';
    case 'timestamp': return isoTimestamp(value);
    case 'blob': return Buffer.isBuffer(value) || value instanceof Uint8Array ? Buffer.from(value).toString('base64') : String(value);
    case 'string':
      return URL_ENCODED_SHAPES.has(shapeName) ? encodeURIComponent(value) : String(value);
    default: return String(value);
  }
}

/** The success envelope: <OpResponse><OpResult>…</OpResult><ResponseMetadata>…</ResponseMetadata></OpResponse>. */
export function serializeResult(service, opName, output, requestId) {
  const op = service.operations[opName];
  const body = { '@_xmlns': service.xmlNamespace };
  if (op.output) {
    const wrapper = op.output.resultWrapper ?? `${opName}Result`;
    body[wrapper] = toNode(service.shapes, op.output.shape, output ?? {});
  }
  body.ResponseMetadata = { RequestId: requestId };
  return XML_DECL + builder.build({ [`${opName}Response`]: body });
}

// Characters XML 1.0 cannot carry; a message that echoes input shows them as \uXXXX instead of breaking the XML.
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const xmlSafe = (s) => String(s).replace(XML_ILLEGAL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** The error envelope every AWS Query service uses. */
export function serializeError(xmlNamespace, error, requestId) {
  return XML_DECL + builder.build({
    ErrorResponse: {
      '@_xmlns': xmlNamespace,
      Error: { Type: error.type, Code: error.code, Message: xmlSafe(error.message) },
      RequestId: requestId,
    },
  });
}
