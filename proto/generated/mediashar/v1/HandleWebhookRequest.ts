// Original file: proto/mediashar/v1/payment.proto


export interface HandleWebhookRequest__Input {
  'provider'?: (string);
  'rawBody'?: (Buffer | Uint8Array | string);
  'headers'?: ({[key: string]: string});
  'requestId'?: (string);
}

export interface HandleWebhookRequest {
  'provider': (string);
  'rawBody': (Buffer);
  'headers': ({[key: string]: string});
  'requestId': (string);
}
