// Original file: proto/mediashar/v1/notification.proto


export interface SubscribeDonationEventsRequest__Input {
  'streamerId'?: (string);
  'afterEventId'?: (string);
}

export interface SubscribeDonationEventsRequest {
  'streamerId': (string);
  'afterEventId': (string);
}
