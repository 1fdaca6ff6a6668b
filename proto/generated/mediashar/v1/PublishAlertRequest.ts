// Original file: proto/mediashar/v1/notification.proto

import type { DonationEvent__Input as _mediashar_v1_DonationEvent__Input, DonationEvent as _mediashar_v1_DonationEvent } from '../../mediashar/v1/DonationEvent.js';

export interface PublishAlertRequest__Input {
  'event'?: (_mediashar_v1_DonationEvent__Input | null);
}

export interface PublishAlertRequest {
  'event': (_mediashar_v1_DonationEvent | null);
}
