// Original file: proto/mediashar/v1/common.proto

import type { Money__Input as _mediashar_v1_Money__Input, Money as _mediashar_v1_Money } from '../../mediashar/v1/Money.js';
import type { MediaShare__Input as _mediashar_v1_MediaShare__Input, MediaShare as _mediashar_v1_MediaShare } from '../../mediashar/v1/MediaShare.js';

export interface DonationEvent__Input {
  'eventId'?: (string);
  'prevEventId'?: (string);
  'type'?: (string);
  'donationId'?: (string);
  'streamerId'?: (string);
  'donorName'?: (string);
  'amount'?: (_mediashar_v1_Money__Input | null);
  'message'?: (string);
  'mediaShare'?: (_mediashar_v1_MediaShare__Input | null);
  'createdAt'?: (string);
  'paidAt'?: (string);
  'test'?: (boolean);
}

export interface DonationEvent {
  'eventId': (string);
  'prevEventId': (string);
  'type': (string);
  'donationId': (string);
  'streamerId': (string);
  'donorName': (string);
  'amount': (_mediashar_v1_Money | null);
  'message': (string);
  'mediaShare': (_mediashar_v1_MediaShare | null);
  'createdAt': (string);
  'paidAt': (string);
  'test': (boolean);
}
