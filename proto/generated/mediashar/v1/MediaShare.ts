// Original file: proto/mediashar/v1/common.proto


export interface MediaShare__Input {
  'platform'?: (string);
  'videoId'?: (string);
  'startS'?: (number);
  'url'?: (string);
  'seconds'?: (number);
  'review'?: (boolean);
  'title'?: (string);
  'channel'?: (string);
  'channelId'?: (string);
  'thumbnailUrl'?: (string);
  'durationS'?: (number);
}

export interface MediaShare {
  'platform': (string);
  'videoId': (string);
  'startS': (number);
  'url': (string);
  'seconds': (number);
  'review': (boolean);
  'title': (string);
  'channel': (string);
  'channelId': (string);
  'thumbnailUrl': (string);
  'durationS': (number);
}
