// Original file: proto/mediashar/v1/payment.proto


export interface HandleWebhookResponse__Input {
  'accepted'?: (boolean);
  'eventId'?: (string);
}

export interface HandleWebhookResponse {
  'accepted': (boolean);
  'eventId': (string);
}
