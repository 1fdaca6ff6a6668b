// Original file: proto/mediashar/v1/notification.proto


export interface DisconnectOverlaysRequest__Input {
  'streamerId'?: (string);
  'tokenHash'?: (string);
}

export interface DisconnectOverlaysRequest {
  'streamerId': (string);
  'tokenHash': (string);
}
