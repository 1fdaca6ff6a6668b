/**
 * Encryption of stored secrets (overlay tokens, outgoing-webhook signing secrets) with keys of
 * their own: each purpose gets an AES-256-GCM key derived with HKDF-SHA256 (node:crypto
 * hkdfSync) from the install's encryption master secret under a distinct label, and every
 * ciphertext carries the id of the master it was sealed under (`v1.<keyId>.<data>`). Rotating
 * JWT_SECRET therefore changes no stored secret, and rotating the master itself keeps the old
 * one readable from ENCRYPTION_SECRET_PREVIOUS until everything was re-sealed (docs/runbook.md).
 * Ciphertexts from before key ids (no prefix, key derived from JWT_SECRET) are still read.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/** What a stored secret is for; each purpose has its own derived key. */
export type SecretPurpose = 'overlay-token' | 'outgoing-webhook-secret' | 'notification-secret';

/** The master secrets a box may use (at least 32 characters each). */
export interface SecretBoxKeys {
  /** Seals new ciphertexts (ENCRYPTION_SECRET, or JWT_SECRET when that is unset). */
  current: string;
  /** Still opens ciphertexts sealed under these (ENCRYPTION_SECRET_PREVIOUS). */
  previous?: string[];
  /** Opens ciphertexts from before key ids, whose key was derived from this (JWT_SECRET). */
  legacy?: string[];
}

const FORMAT = 'v1';

/** The public id of a master secret: 12 hex characters of a hash, never the secret. */
export function keyIdOf(master: string): string {
  return createHash('sha256').update(`mediashar key id\0${master}`).digest('hex').slice(0, 12);
}

function derive(master: string, purpose: SecretPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', master, 'mediashar', `mediashar/v1/${purpose}`, 32));
}

/** The derivation used before key ids (kept to read old ciphertexts only). */
function deriveLegacy(master: string, purpose: SecretPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', master, 'mediashar', purpose, 32));
}

function open(key: Buffer, data: Buffer): string {
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
  decipher.setAuthTag(data.subarray(12, 28));
  return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
}

/** Seals and opens one purpose's secrets. */
export class SecretBox {
  private readonly sealKey: Buffer;
  private readonly sealId: string;
  private readonly byId: Map<string, Buffer>;
  private readonly legacyKeys: Buffer[];

  constructor(keys: SecretBoxKeys, purpose: SecretPurpose) {
    this.sealKey = derive(keys.current, purpose);
    this.sealId = keyIdOf(keys.current);
    this.byId = new Map(
      [keys.current, ...(keys.previous ?? [])].map((m) => [keyIdOf(m), derive(m, purpose)] as const),
    );
    this.legacyKeys = [...new Set([...(keys.legacy ?? []), keys.current, ...(keys.previous ?? [])])].map(
      (m) => deriveLegacy(m, purpose),
    );
  }

  /** `v1.<keyId>.<base64url(iv ‖ tag ‖ ciphertext)>` of `text`. */
  seal(text: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.sealKey, iv);
    const data = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return `${FORMAT}.${this.sealId}.${Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64url')}`;
  }

  /**
   * The clear text of a sealed value (or of one from before key ids).
   * @throws Error when no known key opens it (its master secret is gone).
   */
  open(sealed: string): string {
    const [format, keyId, payload] = sealed.split('.');
    if (format === FORMAT && keyId && payload !== undefined) {
      const key = this.byId.get(keyId);
      if (!key) throw new Error(`sealed under key ${keyId}, which this install no longer has`);
      return open(key, Buffer.from(payload, 'base64url'));
    }
    const data = Buffer.from(sealed, 'base64url');
    for (const key of this.legacyKeys) {
      try {
        return open(key, data);
      } catch {
        // next candidate
      }
    }
    throw new Error('sealed under a secret this install no longer has');
  }

  /** True when `sealed` is not under the current key (re-seal it to finish a rotation). */
  needsReseal(sealed: string): boolean {
    return !sealed.startsWith(`${FORMAT}.${this.sealId}.`);
  }
}

/** The keys of this install from its configuration (ENCRYPTION_SECRET, …_PREVIOUS, JWT_SECRET). */
export function secretBoxKeys(config: {
  ENCRYPTION_SECRET?: string;
  ENCRYPTION_SECRET_PREVIOUS: string[];
  JWT_SECRET: string;
}): SecretBoxKeys {
  return {
    current: config.ENCRYPTION_SECRET ?? config.JWT_SECRET,
    previous: [
      ...config.ENCRYPTION_SECRET_PREVIOUS,
      ...(config.ENCRYPTION_SECRET ? [config.JWT_SECRET] : []),
    ],
    legacy: [config.JWT_SECRET],
  };
}
