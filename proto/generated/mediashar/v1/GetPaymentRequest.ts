// Original file: proto/mediashar/v1/payment.proto


export interface GetPaymentRequest__Input {
  'paymentId'?: (string);
  'donationId'?: (string);
}

export interface GetPaymentRequest {
  'paymentId': (string);
  'donationId': (string);
}
