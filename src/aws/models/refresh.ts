// Re-extract the models and the region list from a botocore data folder:
//   npm run build && node dist/src/aws/models/refresh.js .../botocore/data
// (writes into src/aws/models/, whether run from src/ or dist/; then `npm run types:models`).
import { gunzipSync } from 'node:zlib';
import { readFileSync, writeFileSync } from 'node:fs';
import { modelPath } from './model-files.js';

/** botocore JSON before validation: any value at all, walked generically. */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const dataDir = process.argv[2];
if (!dataDir) { console.error('usage: node dist/src/aws/models/refresh.js BOTOCORE_DATA_DIR'); process.exit(2); }
const strip = (o: Json): Json => Array.isArray(o) ? o.map(strip)
  : o && typeof o === 'object'
    ? Object.fromEntries(Object.entries(o).filter(([k]) => !['documentation', 'documentationUrl', 'examples'].includes(k)).map(([k, v]) => [k, strip(v)]))
    : o;
for (const [svc, ver] of [['iam', '2010-05-08'], ['sts', '2011-06-15'], ['cloudtrail', '2013-11-01']] as const) {
  // A service-2.json: an object with a metadata object (what ServiceModel describes, and more).
  const model = strip(JSON.parse(gunzipSync(readFileSync(`${dataDir}/${svc}/${ver}/service-2.json.gz`)).toString('utf8'))) as { metadata: Record<string, Json> }; // botocore's service-2.json: a service model, whose metadata is an object
  model.metadata.gatehouseSource = `botocore data/${svc}/${ver}/service-2.json.gz (documentation stripped)`;
  writeFileSync(modelPath(`${svc}-${ver}.json`), JSON.stringify(model));
}

// The regions a SigV4 credential scope may name: every region of every partition botocore knows.
const endpoints = JSON.parse(readFileSync(`${dataDir}/endpoints.json`, 'utf8')) as { partitions: { partition: string; regions: Record<string, unknown> }[] }; // botocore's endpoints.json
const partitions = Object.fromEntries(endpoints.partitions.map((p) => [p.partition, Object.keys(p.regions).sort()]));
writeFileSync(modelPath('regions.json'), `${JSON.stringify({ source: 'botocore data/endpoints.json (partitions[].regions)', partitions }, null, 2)}\n`);
