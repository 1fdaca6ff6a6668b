// Original file: proto/mediashar/v1/donation.proto


export interface ListDonationsRequest__Input {
  'streamerId'?: (string);
  'pageSize'?: (number);
  'cursor'?: (string);
  'status'?: (string);
}

export interface ListDonationsRequest {
  'streamerId': (string);
  'pageSize': (number);
  'cursor': (string);
  'status': (string);
}
