// AWS's published service models (botocore data, documentation stripped) are the single source of truth for
// operation names, input/output shapes, constraints and modeled error codes. See models/README.md.
import { readFileSync } from 'node:fs';
import { sourcePath } from '../paths.js';
import type { OperationModel, ServiceModel, ShapeModel } from './models/model-files.js';

// The vendored JSON is botocore's service-2 format, which ServiceModel describes (the generated-types test reads the same files).
const load = (file: string): ServiceModel => JSON.parse(readFileSync(sourcePath('src', 'aws', 'models', file), 'utf8')) as ServiceModel; // a vendored AWS service model file, the shape ServiceModel describes

export const iamModel = load('iam-2010-05-08.json');
export const stsModel = load('sts-2011-06-15.json');
/** CloudTrail's model (JSON protocol): LookupEvents for the event history (cloudtrail-endpoint.ts). */
export const cloudtrailModel = load('cloudtrail-2013-11-01.json');

const errorStatus = new Map<string, number>();
for (const model of [stsModel, iamModel]) {
  for (const shape of Object.values(model.shapes)) {
    if (shape.error?.code) errorStatus.set(shape.error.code, shape.error.httpStatusCode ?? 400);
  }
}
export const modeledErrorStatus = (code: string): number | undefined => errorStatus.get(code);

export type ServiceName = 'iam' | 'sts';

/** Service descriptor: the model plus derived lookups used by the parser and serialiser. */
export interface ServiceDescriptor {
  readonly name: ServiceName;
  readonly model: ServiceModel;
  readonly version: string;
  readonly xmlNamespace: string | undefined;
  readonly operations: Readonly<Record<string, OperationModel>>;
  readonly shapes: Readonly<Record<string, ShapeModel>>;
}

function describe(model: ServiceModel, name: ServiceName): ServiceDescriptor {
  return {
    name,
    model,
    version: model.metadata.apiVersion,
    xmlNamespace: model.metadata.xmlNamespace,
    operations: model.operations,
    shapes: model.shapes,
  };
}

export const services: Readonly<Record<ServiceName, ServiceDescriptor>> = { iam: describe(iamModel, 'iam'), sts: describe(stsModel, 'sts') };

const isServiceName = (s: string | undefined): s is ServiceName => s === 'iam' || s === 'sts';

/** The operation's model entry: own names only (an Action such as 'constructor' or 'toString' names no operation). */
export const operationOf = (service: ServiceDescriptor, action: string): ServiceDescriptor['operations'][string] | undefined =>
  Object.hasOwn(service.operations, action) ? service.operations[action] : undefined;

/** Which service an action belongs to: by explicit Version, then by signing scope, then by the action name. */
export function resolveService(action: string | undefined, version: string | undefined, scopeService: string | undefined): ServiceDescriptor | null {
  if (action === undefined) return null;
  if (version === services.iam.version && operationOf(services.iam, action)) return services.iam;
  if (version === services.sts.version && operationOf(services.sts, action)) return services.sts;
  if (isServiceName(scopeService) && operationOf(services[scopeService], action)) return services[scopeService];
  if (operationOf(services.iam, action)) return services.iam;
  if (operationOf(services.sts, action)) return services.sts;
  return null;
}
