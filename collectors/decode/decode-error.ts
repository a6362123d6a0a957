/** A request body that cannot be decoded as OTLP: the receiver answers 400 with this message. */
export class OtlpDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OtlpDecodeError";
  }
}
