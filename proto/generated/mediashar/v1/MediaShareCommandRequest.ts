// Original file: proto/mediashar/v1/media_share.proto


export interface MediaShareCommandRequest__Input {
  'streamerId'?: (string);
  'action'?: (string);
  'donationId'?: (string);
  'before'?: (string);
  'refund'?: (boolean);
  'volume'?: (number);
}

export interface MediaShareCommandRequest {
  'streamerId': (string);
  'action': (string);
  'donationId': (string);
  'before': (string);
  'refund': (boolean);
  'volume': (number);
}
