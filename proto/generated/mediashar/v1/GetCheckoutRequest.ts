// Original file: proto/mediashar/v1/payment.proto


export interface GetCheckoutRequest__Input {
  'donationId'?: (string);
}

export interface GetCheckoutRequest {
  'donationId': (string);
}
