// Original file: proto/mediashar/v1/payment.proto


export interface Checkout__Input {
  'paymentId'?: (string);
  'donationId'?: (string);
  'provider'?: (string);
  'orderId'?: (string);
  'state'?: (string);
  'url'?: (string);
  'expiresAt'?: (string);
  'extras'?: ({[key: string]: string});
  'paymentStatus'?: (string);
}

export interface Checkout {
  'paymentId': (string);
  'donationId': (string);
  'provider': (string);
  'orderId': (string);
  'state': (string);
  'url': (string);
  'expiresAt': (string);
  'extras': ({[key: string]: string});
  'paymentStatus': (string);
}
