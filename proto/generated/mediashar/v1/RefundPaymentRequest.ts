// Original file: proto/mediashar/v1/payment.proto


export interface RefundPaymentRequest__Input {
  'donationId'?: (string);
  'requestId'?: (string);
}

export interface RefundPaymentRequest {
  'donationId': (string);
  'requestId': (string);
}
