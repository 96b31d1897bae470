// AWS's published service models (botocore data, documentation stripped) are the single source of truth for
// operation names, input/output shapes, constraints and modeled error codes. See models/README.md.
import { readFileSync } from 'node:fs';
import { sourcePath } from '../paths.js';

const load = (file) => JSON.parse(readFileSync(sourcePath('src', 'aws', 'models', file), 'utf8'));

export const iamModel = load('iam-2010-05-08.json');
export const stsModel = load('sts-2011-06-15.json');

const errorStatus = new Map();
for (const model of [stsModel, iamModel]) {
  for (const shape of Object.values(model.shapes)) {
    if (shape.error?.code) errorStatus.set(shape.error.code, shape.error.httpStatusCode ?? 400);
  }
}
export const modeledErrorStatus = (code) => errorStatus.get(code);

/** Service descriptor: the model plus derived lookups used by the parser and serialiser. */
function describe(model, name) {
  return {
    name,
    model,
    version: model.metadata.apiVersion,
    xmlNamespace: model.metadata.xmlNamespace,
    operations: model.operations,
    shapes: model.shapes,
  };
}

export const services = { iam: describe(iamModel, 'iam'), sts: describe(stsModel, 'sts') };

/** Which service an action belongs to: by explicit Version, then by signing scope, then by the action name. */
export function resolveService(action, version, scopeService) {
  if (version === services.iam.version && services.iam.operations[action]) return services.iam;
  if (version === services.sts.version && services.sts.operations[action]) return services.sts;
  if (scopeService && services[scopeService]?.operations[action]) return services[scopeService];
  if (services.iam.operations[action]) return services.iam;
  if (services.sts.operations[action]) return services.sts;
  return null;
}
