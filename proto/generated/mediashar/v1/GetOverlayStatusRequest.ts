// Original file: proto/mediashar/v1/notification.proto


export interface GetOverlayStatusRequest__Input {
  'streamerId'?: (string);
}

export interface GetOverlayStatusRequest {
  'streamerId': (string);
}
