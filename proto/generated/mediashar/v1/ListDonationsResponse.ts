// Original file: proto/mediashar/v1/donation.proto

import type { Donation__Input as _mediashar_v1_Donation__Input, Donation as _mediashar_v1_Donation } from '../../mediashar/v1/Donation.js';

export interface ListDonationsResponse__Input {
  'donations'?: (_mediashar_v1_Donation__Input)[];
  'nextCursor'?: (string);
}

export interface ListDonationsResponse {
  'donations': (_mediashar_v1_Donation)[];
  'nextCursor': (string);
}
