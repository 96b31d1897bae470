// The vendored AWS service models (botocore JSON, documentation stripped) and the shape of their JSON.
import { sourcePath } from '../../paths.js';

export const MODEL_FILES = { iam: 'iam-2010-05-08.json', sts: 'sts-2011-06-15.json', cloudtrail: 'cloudtrail-2013-11-01.json' } as const;
export type ModelService = keyof typeof MODEL_FILES;

export const modelPath = (file: string): string => sourcePath('src', 'aws', 'models', file);

export interface ShapeRef { shape: string; locationName?: string; jsonvalue?: boolean }

export interface ShapeModel {
  type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'double' | 'float' | 'boolean' | 'timestamp' | 'blob';
  members?: Record<string, ShapeRef>;
  required?: string[];
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  sensitive?: boolean;
  box?: boolean;
  exception?: boolean;
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
}

export interface OperationModel {
  name: string;
  http?: { method: string; requestUri: string };
  input?: ShapeRef;
  output?: ShapeRef & { resultWrapper?: string };
  errors?: ShapeRef[];
}

export interface ServiceModel {
  metadata: { apiVersion: string; xmlNamespace?: string; protocol: string; endpointPrefix: string; [k: string]: unknown };
  operations: Record<string, OperationModel>;
  shapes: Record<string, ShapeModel>;
}
