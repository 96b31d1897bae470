// The regions a SigV4 credential scope may name: every region of every AWS partition, from botocore's endpoint
// data (models/regions.json, refreshed with models/refresh.ts). With a custom endpoint the SDKs sign with the
// client's region (eu-west-1/iam, cn-north-1/sts), so any real region is accepted; a made-up one is not.
import { readFileSync } from 'node:fs';
import { sourcePath } from '../paths.js';

// regions.json as models/refresh.ts writes it: partition name → region names.
const data = JSON.parse(readFileSync(sourcePath('src', 'aws', 'models', 'regions.json'), 'utf8')) as { partitions: Record<string, string[]> };
const REGIONS = new Set(Object.values(data.partitions).flat());

export const isKnownRegion = (region: string): boolean => REGIONS.has(region);
