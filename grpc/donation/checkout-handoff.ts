/**
 * The hand-off from a written donation to its checkout (issue 15): DonationService queues the
 * checkout job itself, right after the group commit that wrote the rows, so the checkout waits
 * for the donation by construction instead of asking DonationService for the row.
 */
import { uuidv7 } from 'uuidv7';
import { QUEUES, checkoutJobId, type DonationCreateJob, type TypedQueue } from '../../shared/queues.js';
import type { Logger } from '../../shared/logger.js';

/**
 * Queues the checkouts of donations just written (one addBulk per group commit). Each job
 * carries the amount, currency, streamer and donor name of the row as written, marked
 * `donationRow`, and the donation's deterministic checkout job id, so a later
 * PaymentService.CreateCheckout for the donation finds it instead of adding another.
 *
 * Never throws: the rows are committed already (accepted means durable), and a checkout that
 * could not be queued here (Redis away) is queued by PaymentService.CreateCheckout, whose job
 * the worker checks against the row.
 */
export function checkoutHandoff(
  queue: TypedQueue<'checkout'>,
  log: Logger,
): (written: DonationCreateJob[]) => Promise<void> {
  return async (written) => {
    const jobs = written.flatMap((d) =>
      d.checkout
        ? [
            {
              name: QUEUES.checkout.jobs.create,
              data: {
                paymentId: uuidv7(),
                donationId: d.donationId,
                provider: d.provider,
                amountMinor: d.amountMinor,
                currency: d.currency,
                donorName: d.donorName,
                description: d.checkout.description,
                requestId: d.requestId,
                donationRow: { streamerId: d.streamerId },
              },
              opts: { jobId: checkoutJobId(d.donationId) },
            },
          ]
        : [],
    );
    if (!jobs.length) return;
    try {
      await queue.addBulk(jobs);
    } catch (err) {
      log.warn(
        { err, donations: jobs.length },
        'checkouts not queued with their donations: CreateCheckout queues them',
      );
    }
  };
}
