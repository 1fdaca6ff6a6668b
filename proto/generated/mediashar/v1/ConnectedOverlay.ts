// Original file: proto/mediashar/v1/notification.proto


export interface ConnectedOverlay__Input {
  'socketId'?: (string);
  'connectedAt'?: (string);
  'lastSeenAt'?: (string);
  'kind'?: (string);
}

export interface ConnectedOverlay {
  'socketId': (string);
  'connectedAt': (string);
  'lastSeenAt': (string);
  'kind': (string);
}
