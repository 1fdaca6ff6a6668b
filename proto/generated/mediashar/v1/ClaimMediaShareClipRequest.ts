// Original file: proto/mediashar/v1/media_share.proto


export interface ClaimMediaShareClipRequest__Input {
  'streamerId'?: (string);
}

export interface ClaimMediaShareClipRequest {
  'streamerId': (string);
}
