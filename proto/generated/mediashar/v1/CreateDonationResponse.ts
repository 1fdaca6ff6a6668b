// Original file: proto/mediashar/v1/donation.proto


export interface CreateDonationResponse__Input {
  'donationId'?: (string);
  'created'?: (boolean);
  'createdAt'?: (string);
}

export interface CreateDonationResponse {
  'donationId': (string);
  'created': (boolean);
  'createdAt': (string);
}
