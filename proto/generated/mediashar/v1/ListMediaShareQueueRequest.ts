// Original file: proto/mediashar/v1/media_share.proto


export interface ListMediaShareQueueRequest__Input {
  'streamerId'?: (string);
  'states'?: (string)[];
}

export interface ListMediaShareQueueRequest {
  'streamerId': (string);
  'states': (string)[];
}
