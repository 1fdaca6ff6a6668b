// Original file: proto/mediashar/v1/donation.proto


export interface GetDonationRequest__Input {
  'donationId'?: (string);
}

export interface GetDonationRequest {
  'donationId': (string);
}
