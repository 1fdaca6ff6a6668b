import type { AlertPayload } from '../../shared/queues.js';

/** A paid-donation alert with the given event id and predecessor (sequencer tests). */
export function alert(eventId: string, prevEventId: string): AlertPayload {
  return {
    eventId,
    prevEventId,
    type: 'donation.paid',
    donationId: `d-${eventId}`,
    donorName: 'x',
    amount: 1,
    currency: 'IDR',
    formattedAmount: 'Rp 0,01',
    message: '',
    mediaShare: null,
    createdAt: '',
    test: false,
  };
}
