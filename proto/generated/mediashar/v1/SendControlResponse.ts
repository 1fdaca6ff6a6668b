// Original file: proto/mediashar/v1/notification.proto


export interface SendControlResponse__Input {
  'deliveredTo'?: (number);
}

export interface SendControlResponse {
  'deliveredTo': (number);
}
