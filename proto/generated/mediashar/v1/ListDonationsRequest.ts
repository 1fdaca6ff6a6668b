// Original file: proto/mediashar/v1/donation.proto


export interface ListDonationsRequest__Input {
  'streamerId'?: (string);
  'pageSize'?: (number);
  'cursor'?: (string);
  'status'?: (string);
  'search'?: (string);
  'provider'?: (string);
  'currency'?: (string);
  'createdFrom'?: (string);
  'createdBefore'?: (string);
  'messageReview'?: (string);
}

export interface ListDonationsRequest {
  'streamerId': (string);
  'pageSize': (number);
  'cursor': (string);
  'status': (string);
  'search': (string);
  'provider': (string);
  'currency': (string);
  'createdFrom': (string);
  'createdBefore': (string);
  'messageReview': (string);
}
