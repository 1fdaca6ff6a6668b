// Original file: proto/mediashar/v1/donation.proto

import type { Money__Input as _mediashar_v1_Money__Input, Money as _mediashar_v1_Money } from '../../mediashar/v1/Money.js';
import type { MediaShare__Input as _mediashar_v1_MediaShare__Input, MediaShare as _mediashar_v1_MediaShare } from '../../mediashar/v1/MediaShare.js';

export interface Donation__Input {
  'id'?: (string);
  'streamerId'?: (string);
  'donorName'?: (string);
  'anonymous'?: (boolean);
  'amount'?: (_mediashar_v1_Money__Input | null);
  'message'?: (string);
  'status'?: (string);
  'provider'?: (string);
  'createdAt'?: (string);
  'paidAt'?: (string);
  'mediaShare'?: (_mediashar_v1_MediaShare__Input | null);
  'messageReview'?: (string);
  'heldMessage'?: (string);
  'alertPublishedAt'?: (string);
}

export interface Donation {
  'id': (string);
  'streamerId': (string);
  'donorName': (string);
  'anonymous': (boolean);
  'amount': (_mediashar_v1_Money | null);
  'message': (string);
  'status': (string);
  'provider': (string);
  'createdAt': (string);
  'paidAt': (string);
  'mediaShare': (_mediashar_v1_MediaShare | null);
  'messageReview': (string);
  'heldMessage': (string);
  'alertPublishedAt': (string);
}
