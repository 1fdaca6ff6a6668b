// Original file: proto/mediashar/v1/media_share.proto


export interface GetMediaShareStatusRequest__Input {
  'donationId'?: (string);
}

export interface GetMediaShareStatusRequest {
  'donationId': (string);
}
