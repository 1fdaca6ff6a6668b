// Original file: proto/mediashar/v1/notification.proto


export interface PublishAlertResponse__Input {
  'eventId'?: (string);
}

export interface PublishAlertResponse {
  'eventId': (string);
}
