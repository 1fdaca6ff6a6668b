/**
 * A slow provider never makes the donor's request hang (DESIGN.md step 3): with no checkout
 * worker running, POST answers 202 with a status URL inside the bound; once a worker runs, the
 * status carries the checkout and the donation completes.
 */
import { expect } from 'chai';
import { TestSystem } from '../support/system.js';
import {
  createDonation,
  http,
  paymentIdOf,
  registerStreamer,
  sandboxComplete,
  waitForDonationStatus,
} from '../support/clients.js';

describe('checkout not ready in time', function () {
  this.timeout(120_000);
  let system: TestSystem;

  before(async function () {
    // TestSystem waits up to 300 s for the processes on a loaded machine.
    this.timeout(400_000);
    system = await TestSystem.start({
      processes: [
        'gateway',
        'donation-service',
        'payment-service',
        'notification-service',
        'workers-donation',
        'workers-payment-verification',
      ],
      env: { CHECKOUT_WAIT_MS: '300' },
    });
  });
  after(async () => {
    await system?.stop();
  });

  it('answers 202 with a status URL, then serves the checkout once a worker creates it', async () => {
    const streamer = await registerStreamer(system);
    const created = await createDonation(system, streamer.username, {
      donorName: 'Patient',
      amount: '40000',
    });
    expect(created.status).to.equal(202);
    expect(created.body).to.include({ status: 'pending' });
    expect(created.body.statusUrl).to.match(new RegExp(`/api/v1/donations/${created.body.id as string}$`));
    const before = await http(system, 'GET', `/api/v1/donations/${created.body.id as string}`);
    expect(before.body.checkout).to.equal(null);

    system.spawn('workers-checkout');
    await system.waitHealthy(['workers-checkout']);
    const paymentId = await paymentIdOf(system, created);
    await sandboxComplete(system, paymentId);
    await waitForDonationStatus(system, created.body.id as string, 'paid');
  });
});
