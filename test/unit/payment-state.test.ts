import { expect } from 'chai';
import { canTransition } from '../../shared/payment-state.js';
import type { PaymentStatus } from '../../shared/queues.js';

describe('payment state machine (forward-only)', () => {
  const all: PaymentStatus[] = ['pending', 'paid', 'failed', 'expired', 'refunded', 'amount_mismatch'];
  const allowed = new Set([
    'pending>paid',
    'pending>failed',
    'pending>expired',
    'paid>refunded',
    'expired>paid',
    'failed>paid',
    // Another amount settled: terminal, and never from paid (a paid payment stays paid).
    'pending>amount_mismatch',
    'failed>amount_mismatch',
    'expired>amount_mismatch',
  ]);
  for (const from of all) {
    for (const to of all) {
      const ok = allowed.has(`${from}>${to}`);
      it(`${ok ? 'allows' : 'refuses'} ${from} → ${to}`, () => {
        expect(canTransition(from, to)).to.equal(ok);
      });
    }
  }
});
