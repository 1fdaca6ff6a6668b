// Original file: proto/mediashar/v1/media_share.proto


export interface FinishMediaShareClipResponse__Input {
  'moved'?: (boolean);
  'state'?: (string);
}

export interface FinishMediaShareClipResponse {
  'moved': (boolean);
  'state': (string);
}
