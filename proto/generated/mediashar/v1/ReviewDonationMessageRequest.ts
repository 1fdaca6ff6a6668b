// Original file: proto/mediashar/v1/donation.proto


export interface ReviewDonationMessageRequest__Input {
  'streamerId'?: (string);
  'donationId'?: (string);
  'decision'?: (string);
}

export interface ReviewDonationMessageRequest {
  'streamerId': (string);
  'donationId': (string);
  'decision': (string);
}
