import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { DonationEvent__Input as _mediashar_v1_DonationEvent__Input, DonationEvent as _mediashar_v1_DonationEvent } from './mediashar/v1/DonationEvent.js';
import type { MediaShare__Input as _mediashar_v1_MediaShare__Input, MediaShare as _mediashar_v1_MediaShare } from './mediashar/v1/MediaShare.js';
import type { Money__Input as _mediashar_v1_Money__Input, Money as _mediashar_v1_Money } from './mediashar/v1/Money.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  mediashar: {
    v1: {
      DonationEvent: MessageTypeDefinition<_mediashar_v1_DonationEvent__Input, _mediashar_v1_DonationEvent>
      MediaShare: MessageTypeDefinition<_mediashar_v1_MediaShare__Input, _mediashar_v1_MediaShare>
      Money: MessageTypeDefinition<_mediashar_v1_Money__Input, _mediashar_v1_Money>
    }
  }
}

