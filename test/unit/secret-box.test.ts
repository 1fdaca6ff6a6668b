import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { SecretBox, keyIdOf, secretBoxKeys } from '../../shared/secret-box.js';

const jwtOld = 'j'.repeat(40);
const jwtNew = 'k'.repeat(40);
const master = 'm'.repeat(40);

/** A ciphertext as written before key ids (key derived from JWT_SECRET, no prefix). */
function legacySeal(secret: string, text: string): string {
  const key = Buffer.from(hkdfSync('sha256', secret, 'mediashar', 'overlay-token', 32));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64url');
}

describe('secret box (stored secrets under HKDF keys with a key id)', () => {
  it('keeps stored secrets readable when JWT_SECRET rotates', () => {
    const before = new SecretBox(
      secretBoxKeys({ ENCRYPTION_SECRET: master, ENCRYPTION_SECRET_PREVIOUS: [], JWT_SECRET: jwtOld }),
      'overlay-token',
    );
    const sealed = before.seal('overlay-token-123');
    expect(sealed.startsWith(`v1.${keyIdOf(master)}.`)).to.equal(true);
    expect(sealed).not.to.include(master);
    const after = new SecretBox(
      secretBoxKeys({ ENCRYPTION_SECRET: master, ENCRYPTION_SECRET_PREVIOUS: [], JWT_SECRET: jwtNew }),
      'overlay-token',
    );
    expect(after.open(sealed)).to.equal('overlay-token-123');
  });

  it('reads ciphertexts from before key ids, and moves an install without ENCRYPTION_SECRET over', () => {
    const old = legacySeal(jwtOld, 'legacy-token');
    const sealedUnderJwt = new SecretBox(
      secretBoxKeys({ ENCRYPTION_SECRET_PREVIOUS: [], JWT_SECRET: jwtOld }),
      'overlay-token',
    ).seal('v1-under-jwt');
    // The runbook's step: the old JWT_SECRET into ENCRYPTION_SECRET_PREVIOUS, a new master, a new JWT.
    const rotated = new SecretBox(
      secretBoxKeys({ ENCRYPTION_SECRET: master, ENCRYPTION_SECRET_PREVIOUS: [jwtOld], JWT_SECRET: jwtNew }),
      'overlay-token',
    );
    expect(rotated.open(old)).to.equal('legacy-token');
    expect(rotated.open(sealedUnderJwt)).to.equal('v1-under-jwt');
    expect(rotated.needsReseal(sealedUnderJwt)).to.equal(true);
    expect(rotated.needsReseal(rotated.seal('x'))).to.equal(false);
  });

  it('uses a distinct key per purpose and refuses a ciphertext whose master is gone', () => {
    const keys = { current: master };
    const sealed = new SecretBox(keys, 'overlay-token').seal('t');
    expect(() => new SecretBox(keys, 'outgoing-webhook-secret').open(sealed)).to.throw();
    expect(() => new SecretBox({ current: 'n'.repeat(40) }, 'overlay-token').open(sealed)).to.throw(
      /no longer has/,
    );
  });
});
