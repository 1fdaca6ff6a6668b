import { expect } from 'chai';
import { AppError } from '../../shared/errors.js';
import { awaitDonationRow, DonationNotWrittenError } from '../../workers/await-donation.js';

/** A fake DonationService.GetDonation answering from a script of outcomes. */
function fakeApi(outcomes: ('found' | 'missing' | 'down')[]) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    getDonation: () => {
      const outcome = outcomes[Math.min(calls++, outcomes.length - 1)];
      if (outcome === 'found')
        return Promise.resolve({
          id: 'd',
          streamerId: 's',
          amount: { amountMinor: 1_000_000, currency: 'IDR' },
        });
      if (outcome === 'missing') return Promise.reject(new AppError('NOT_FOUND', 'Donation d not found'));
      return Promise.reject(new AppError('UNAVAILABLE', 'Service unavailable'));
    },
  };
}

describe('awaitDonationRow (checkout only for a written donation)', () => {
  it('resolves with the row’s streamer and amount once the donation row appears', async () => {
    const api = fakeApi(['missing', 'missing', 'found']);
    const facts = await awaitDonationRow(api, 2000)('d', 'r');
    expect(api.calls).to.equal(3);
    // The checkout's amount comes from here, never from its caller.
    expect(facts).to.deep.equal({ streamerId: 's', amount: { amountMinor: 1_000_000, currency: 'IDR' } });
  });

  it('throws a retryable DonationNotWrittenError when the row is still missing after the wait', async () => {
    const api = fakeApi(['missing']);
    const err = await awaitDonationRow(api, 100)('d', 'r').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(DonationNotWrittenError);
    expect((err as AppError).code).to.equal('UNAVAILABLE');
    expect(api.calls).to.be.greaterThan(1);
  });

  it('passes on any other error at once (the job retries with backoff)', async () => {
    const api = fakeApi(['down']);
    const err = await awaitDonationRow(api, 2000)('d', 'r').then(
      () => null,
      (e: unknown) => e,
    );
    expect((err as AppError).message).to.match(/unavailable/i);
    expect(err).not.to.be.instanceOf(DonationNotWrittenError);
    expect(api.calls).to.equal(1);
  });
});
