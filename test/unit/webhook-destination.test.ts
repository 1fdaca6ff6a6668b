import { expect } from 'chai';
import {
  assertPublicDestination,
  isInternalAddress,
} from '../../gateway/outgoing-webhooks/webhook-destination.js';

describe('outgoing webhook destinations (SSRF guard)', () => {
  it('treats loopback, private, link-local, CGNAT and mapped internal addresses as internal', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.5',
      '192.168.1.10',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      'not-an-ip',
    ])
      expect(isInternalAddress(a), a).to.equal(true);
  });

  it('lets public addresses through', () => {
    for (const a of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.4.4'])
      expect(isInternalAddress(a), a).to.equal(false);
  });

  it('refuses URLs whose host is or resolves to an internal address', async () => {
    for (const url of ['http://127.0.0.1:9/x', 'https://[::1]/x', 'http://localhost/hook']) {
      const err = await assertPublicDestination(url).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(err, url).to.be.instanceOf(Error);
      expect(err!.message).to.include('internal address');
    }
  });
});
