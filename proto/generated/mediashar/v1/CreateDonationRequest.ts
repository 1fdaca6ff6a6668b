// Original file: proto/mediashar/v1/donation.proto

import type { Money__Input as _mediashar_v1_Money__Input, Money as _mediashar_v1_Money } from '../../mediashar/v1/Money.js';
import type { MediaShare__Input as _mediashar_v1_MediaShare__Input, MediaShare as _mediashar_v1_MediaShare } from '../../mediashar/v1/MediaShare.js';

export interface CreateDonationRequest__Input {
  'streamerId'?: (string);
  'donorName'?: (string);
  'donorUserId'?: (string);
  'anonymous'?: (boolean);
  'amount'?: (_mediashar_v1_Money__Input | null);
  'message'?: (string);
  'provider'?: (string);
  'idempotencyKey'?: (string);
  'requestHash'?: (string);
  'mediaShare'?: (_mediashar_v1_MediaShare__Input | null);
  'requestId'?: (string);
  'heldMessage'?: (string);
  'startCheckout'?: (boolean);
  'checkoutDescription'?: (string);
}

export interface CreateDonationRequest {
  'streamerId': (string);
  'donorName': (string);
  'donorUserId': (string);
  'anonymous': (boolean);
  'amount': (_mediashar_v1_Money | null);
  'message': (string);
  'provider': (string);
  'idempotencyKey': (string);
  'requestHash': (string);
  'mediaShare': (_mediashar_v1_MediaShare | null);
  'requestId': (string);
  'heldMessage': (string);
  'startCheckout': (boolean);
  'checkoutDescription': (string);
}
