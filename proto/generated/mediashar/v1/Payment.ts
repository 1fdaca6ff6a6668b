// Original file: proto/mediashar/v1/payment.proto

import type { Money__Input as _mediashar_v1_Money__Input, Money as _mediashar_v1_Money } from '../../mediashar/v1/Money.js';

export interface Payment__Input {
  'id'?: (string);
  'donationId'?: (string);
  'provider'?: (string);
  'orderId'?: (string);
  'amount'?: (_mediashar_v1_Money__Input | null);
  'status'?: (string);
  'checkoutUrl'?: (string);
  'expiresAt'?: (string);
  'createdAt'?: (string);
}

export interface Payment {
  'id': (string);
  'donationId': (string);
  'provider': (string);
  'orderId': (string);
  'amount': (_mediashar_v1_Money | null);
  'status': (string);
  'checkoutUrl': (string);
  'expiresAt': (string);
  'createdAt': (string);
}
