// Original file: proto/mediashar/v1/common.proto


export interface MediaShare__Input {
  'platform'?: (string);
  'videoId'?: (string);
  'startS'?: (number);
  'url'?: (string);
}

export interface MediaShare {
  'platform': (string);
  'videoId': (string);
  'startS': (number);
  'url': (string);
}
