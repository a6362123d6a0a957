/**
 * Collector errors are classified where they are thrown: permanent ones (the client must not retry the
 * same payload) map to 4xx, retryable ones to 429/503 with Retry-After, per the OTLP/HTTP spec.
 */
export class CollectorError extends Error {
  constructor(
    readonly httpStatus: 400 | 401 | 403 | 404 | 405 | 413 | 415 | 429 | 503,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "CollectorError";
  }

  get isRetryable(): boolean {
    return this.httpStatus === 429 || this.httpStatus === 503;
  }
}

export const badRequest = (message: string): CollectorError => new CollectorError(400, message);
export const unauthorized = (message: string): CollectorError => new CollectorError(401, message);
export const payloadTooLarge = (message: string): CollectorError => new CollectorError(413, message);
export const unsupportedMediaType = (message: string): CollectorError => new CollectorError(415, message);
export const overloaded = (message: string, retryAfterSeconds = 1): CollectorError => new CollectorError(429, message, retryAfterSeconds);
export const unavailable = (message: string, retryAfterSeconds = 5): CollectorError => new CollectorError(503, message, retryAfterSeconds);
