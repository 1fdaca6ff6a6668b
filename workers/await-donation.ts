/**
 * The checkout worker's guard: a checkout is created only for a donation whose row is written
 * in donation_db, so a donation.create job lost with Redis's data can never leave a donor with
 * a checkout for a donation that does not exist.
 */
import { AppError } from '../shared/errors.js';
import type { CallOptions } from '../shared/grpc-api.js';
import type { DonationFacts } from '../grpc/payment/payment.flows.js';

/** The fields of DonationService.GetDonation's answer that the checkout reads. */
interface DonationAnswer {
  streamerId?: string;
  amount?: { amountMinor?: number; currency?: string } | null;
}

/** Thrown when the donation row is still missing after the in-job wait: the job retries. */
export class DonationNotWrittenError extends AppError {
  constructor(donationId: string) {
    super('UNAVAILABLE', `Donation ${donationId} is not written yet; checkout waits for it`);
  }
}

/**
 * Returns a function that resolves with the donation's streamer and amount once
 * DonationService.GetDonation finds the donation, asking again with growing pauses (25 ms
 * doubling to 400 ms, `waitMs` in all [3000]).
 * @throws {DonationNotWrittenError} when it is still missing (the checkout job retries with
 *   backoff); other errors (DonationService or donation_db away) propagate and retry too.
 */
export function awaitDonationRow(
  api: { getDonation: (request: { donationId: string }, options: CallOptions) => Promise<DonationAnswer> },
  waitMs = 3000,
): (donationId: string, requestId: string) => Promise<DonationFacts> {
  return async (donationId, requestId) => {
    const deadline = Date.now() + waitMs;
    for (let pause = 25; ; pause = Math.min(pause * 2, 400)) {
      try {
        const d = await api.getDonation({ donationId }, { requestId });
        return {
          streamerId: d.streamerId ?? '',
          amount: { amountMinor: Number(d.amount?.amountMinor ?? 0), currency: d.amount?.currency ?? '' },
        };
      } catch (err) {
        if ((err as { code?: string }).code !== 'NOT_FOUND') throw err;
      }
      if (Date.now() + pause > deadline) throw new DonationNotWrittenError(donationId);
      await new Promise((r) => setTimeout(r, pause));
    }
  };
}
