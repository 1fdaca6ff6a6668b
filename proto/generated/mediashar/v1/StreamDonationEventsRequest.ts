// Original file: proto/mediashar/v1/donation.proto


export interface StreamDonationEventsRequest__Input {
  'streamerId'?: (string);
  'afterEventId'?: (string);
}

export interface StreamDonationEventsRequest {
  'streamerId': (string);
  'afterEventId': (string);
}
