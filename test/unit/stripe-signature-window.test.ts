/** Stripe webhook signatures are accepted only within 300 s of our clock, in both directions. */
import { expect } from 'chai';
import { StripeProvider, STRIPE_TOLERANCE_S } from '../../grpc/payment/providers/stripe.provider.js';
import { WebhookSignatureError } from '../../shared/errors.js';
import { stripeSignatureHeader } from '../fakes/stripe.fake.js';

const SECRET = 'whsec_unit_test_secret';
const NOW_S = 1_800_000_000;
const provider = new StripeProvider({
  secretKey: 'sk_test_unit',
  webhookSecret: SECRET,
  publicUrl: 'http://localhost:8080',
  webhookClockMs: NOW_S * 1000,
});
const body = JSON.stringify({
  id: 'evt_window',
  object: 'event',
  type: 'customer.created',
  data: { object: { id: 'cus_x', object: 'customer' } },
});

async function verdict(signedAtS: number): Promise<'accepted' | 'refused'> {
  try {
    await provider.verifyWebhook(Buffer.from(body), {
      'stripe-signature': stripeSignatureHeader(body, SECRET, signedAtS),
    });
    return 'accepted';
  } catch (err) {
    expect(err).to.be.instanceOf(WebhookSignatureError);
    return 'refused';
  }
}

describe('Stripe webhook signature time window', () => {
  for (const [offset, expected] of [
    [0, 'accepted'],
    [-STRIPE_TOLERANCE_S, 'accepted'],
    [STRIPE_TOLERANCE_S, 'accepted'],
    [-400, 'refused'],
    [400, 'refused'],
    [86_400, 'refused'],
  ] as const) {
    it(`${expected === 'accepted' ? 'accepts' : 'refuses'} a signature dated ${offset} s from now`, async () => {
      expect(await verdict(NOW_S + offset)).to.equal(expected);
    });
  }
});
