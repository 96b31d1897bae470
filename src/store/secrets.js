// Secrets at rest: AES-256-GCM under one master key (GATEHOUSE_MASTER_KEY, or a key file created in the data
// folder with mode 0600). The ciphertext is bound to its row (AAD), so a value copied to another row fails.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const VERSION = 'v1';

export function loadMasterKey({ dataDir, envKey }) {
  if (envKey) {
    const key = /^[0-9a-fA-F]{64}$/.test(envKey) ? Buffer.from(envKey, 'hex') : Buffer.from(envKey, 'base64');
    if (key.length !== 32) throw new Error('GATEHOUSE_MASTER_KEY must be 32 bytes, as 64 hex characters or base64.');
    return key;
  }
  const file = join(dataDir, 'master.key');
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key.`);
    return key;
  }
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

export class SecretBox {
  #key;
  constructor(key) { this.#key = key; }
  seal(plaintext, aad) {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64')}`;
  }
  open(sealed, aad) {
    const [version, data] = sealed.split(':');
    if (version !== VERSION) throw new Error(`unknown secret format ${version}`);
    const raw = Buffer.from(data, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
  }
}
