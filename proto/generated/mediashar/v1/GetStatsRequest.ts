// Original file: proto/mediashar/v1/donation.proto


export interface GetStatsRequest__Input {
  'streamerId'?: (string);
  'days'?: (number);
  'paidFrom'?: (string);
  'timeZone'?: (string);
}

export interface GetStatsRequest {
  'streamerId': (string);
  'days': (number);
  'paidFrom': (string);
  'timeZone': (string);
}
