// Original file: proto/mediashar/v1/notification.proto


export interface DisconnectOverlaysResponse__Input {
  'disconnected'?: (number);
}

export interface DisconnectOverlaysResponse {
  'disconnected': (number);
}
