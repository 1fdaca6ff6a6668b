// Original file: proto/mediashar/v1/payment.proto

import type { Money__Input as _mediashar_v1_Money__Input, Money as _mediashar_v1_Money } from '../../mediashar/v1/Money.js';

export interface CreateCheckoutRequest__Input {
  'donationId'?: (string);
  'provider'?: (string);
  'amount'?: (_mediashar_v1_Money__Input | null);
  'donorName'?: (string);
  'description'?: (string);
  'requestId'?: (string);
  'waitMs'?: (number);
}

export interface CreateCheckoutRequest {
  'donationId': (string);
  'provider': (string);
  'amount': (_mediashar_v1_Money | null);
  'donorName': (string);
  'description': (string);
  'requestId': (string);
  'waitMs': (number);
}
