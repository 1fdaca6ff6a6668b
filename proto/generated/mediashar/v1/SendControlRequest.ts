// Original file: proto/mediashar/v1/notification.proto


export interface SendControlRequest__Input {
  'streamerId'?: (string);
  'action'?: (string);
}

export interface SendControlRequest {
  'streamerId': (string);
  'action': (string);
}
