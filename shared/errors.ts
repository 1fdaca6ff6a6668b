/**
 * Named errors with stable codes. Each transport maps them once: HTTP in the gateway's error
 * middleware, gRPC in the handler wrapper, retry/no-retry in the processor wrapper.
 */

/** Stable error codes seen by clients. */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'INVALID_SIGNATURE'
  | 'PROVIDER_UNAVAILABLE'
  | 'PROVIDER_REJECTED'
  | 'RATE_LIMITED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNAVAILABLE'
  | 'INTERNAL';

/** Base class: `message` is safe to show a client; `details` too. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input; `details.fields` names what to fix. */
export class ValidationError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('VALIDATION_FAILED', message, details);
  }
}
export class NotFoundError extends AppError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}
/** The request conflicts with stored state (e.g. an idempotency key reused with another body). */
export class ConflictError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('CONFLICT', message, details);
  }
}
export class UnauthenticatedError extends AppError {
  constructor(message = 'Authentication required') {
    super('UNAUTHENTICATED', message);
  }
}
export class ForbiddenError extends AppError {
  constructor(message = 'Not allowed') {
    super('FORBIDDEN', message);
  }
}
/** A webhook whose signature does not verify; nothing is stored for it. */
export class WebhookSignatureError extends AppError {
  constructor(message = 'Webhook signature is missing or invalid') {
    super('INVALID_SIGNATURE', message);
  }
}
/** The provider could not be reached or answered 5xx: worth retrying. */
export class ProviderUnavailableError extends AppError {
  constructor(message: string) {
    super('PROVIDER_UNAVAILABLE', message);
  }
}
/** The provider refused the request (4xx): retrying will not help. */
export class ProviderRejectedError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('PROVIDER_REJECTED', message, details);
  }
}
export class RateLimitedError extends AppError {
  /** @param retryAfterMs when the caller may try again, in ms (when known). */
  constructor(
    message = 'Too many requests, slow down',
    readonly retryAfterMs?: number,
  ) {
    super('RATE_LIMITED', message);
  }
}
/** A dependency (Redis, a database, a service) is down: retry later. */
export class UnavailableError extends AppError {
  constructor(message: string) {
    super('UNAVAILABLE', message);
  }
}

/** A request body over the route's size limit. */
export class PayloadTooLargeError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('PAYLOAD_TOO_LARGE', message, details);
  }
}
