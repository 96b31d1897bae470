// Re-extract the models and the region list from a botocore data folder:
//   node src/aws/models/refresh.js .../botocore/data
import { gunzipSync } from 'node:zlib';
import { readFileSync, writeFileSync } from 'node:fs';

const dataDir = process.argv[2];
if (!dataDir) { console.error('usage: node src/aws/models/refresh.js BOTOCORE_DATA_DIR'); process.exit(2); }
const strip = (o) => Array.isArray(o) ? o.map(strip)
  : o && typeof o === 'object'
    ? Object.fromEntries(Object.entries(o).filter(([k]) => !['documentation', 'documentationUrl', 'examples'].includes(k)).map(([k, v]) => [k, strip(v)]))
    : o;
for (const [svc, ver] of [['iam', '2010-05-08'], ['sts', '2011-06-15']]) {
  const model = strip(JSON.parse(gunzipSync(readFileSync(`${dataDir}/${svc}/${ver}/service-2.json.gz`))));
  model.metadata.gatehouseSource = `botocore data/${svc}/${ver}/service-2.json.gz (documentation stripped)`;
  writeFileSync(new URL(`./${svc}-${ver}.json`, import.meta.url), JSON.stringify(model));
}

// The regions a SigV4 credential scope may name: every region of every partition botocore knows.
const endpoints = JSON.parse(readFileSync(`${dataDir}/endpoints.json`, 'utf8'));
const partitions = Object.fromEntries(endpoints.partitions.map((p) => [p.partition, Object.keys(p.regions).sort()]));
writeFileSync(new URL('./regions.json', import.meta.url), `${JSON.stringify({ source: 'botocore data/endpoints.json (partitions[].regions)', partitions }, null, 2)}\n`);
