// Original file: proto/mediashar/v1/media_share.proto


export interface MediaShareCommandResponse__Input {
  'action'?: (string);
  'jobId'?: (string);
}

export interface MediaShareCommandResponse {
  'action': (string);
  'jobId': (string);
}
