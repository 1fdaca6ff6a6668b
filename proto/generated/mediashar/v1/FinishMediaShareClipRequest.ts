// Original file: proto/mediashar/v1/media_share.proto


export interface FinishMediaShareClipRequest__Input {
  'streamerId'?: (string);
  'donationId'?: (string);
  'outcome'?: (string);
}

export interface FinishMediaShareClipRequest {
  'streamerId': (string);
  'donationId': (string);
  'outcome': (string);
}
