import * as grpc from "@grpc/grpc-js";
import { CollectorError } from "../../errors.ts";
import { verifyIngestKey } from "../verify-ingest-key.ts";
import type { KeyVerifier, OtlpConsumer, Signal } from "../../types.ts";

export type OtlpGrpcReceiverSettings = {
  consumer: OtlpConsumer;
  verifier: KeyVerifier;
  maxBodyBytes: number;
  log: (line: string) => void;
  /** Counts requests refused here, before the consumer (which counts its own). */
  metrics?: { refused: (signal: Signal, httpStatus: number) => void };
};

const identity = (buf: Buffer): Buffer => buf;

/** Unary methods that hand the raw protobuf request to the same consumer as OTLP/HTTP. */
function method(path: string): grpc.MethodDefinition<Buffer, Buffer> {
  return {
    path,
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  };
}

const TRACE_SERVICE = { Export: method("/opentelemetry.proto.collector.trace.v1.TraceService/Export") };
const METRICS_SERVICE = { Export: method("/opentelemetry.proto.collector.metrics.v1.MetricsService/Export") };

/** OTLP HTTP status → gRPC status code, per the OTLP spec's retryable / non-retryable split. */
const GRPC_STATUS: Record<number, grpc.status> = {
  400: grpc.status.INVALID_ARGUMENT,
  401: grpc.status.UNAUTHENTICATED,
  403: grpc.status.PERMISSION_DENIED,
  413: grpc.status.INVALID_ARGUMENT,
  415: grpc.status.INVALID_ARGUMENT,
  429: grpc.status.RESOURCE_EXHAUSTED,
  503: grpc.status.UNAVAILABLE,
};

function keyFrom(metadata: grpc.Metadata): string | null {
  const auth = metadata.get("authorization")[0];
  if (typeof auth === "string") return /^Bearer\s+(\S+)\s*$/i.exec(auth)?.[1] ?? null;
  const apiKey = metadata.get("x-api-key")[0];
  return typeof apiKey === "string" ? apiKey.trim() : null;
}

function handler(settings: OtlpGrpcReceiverSettings, signal: Signal): grpc.handleUnaryCall<Buffer, Buffer> {
  return (call, callback) => {
    void (async () => {
      const key = await verifyIngestKey(settings.verifier, keyFrom(call.metadata));
      if (!key) {
        settings.metrics?.refused(signal, 401);
        throw new CollectorError(401, "missing, invalid or revoked ingest key (metadata authorization: Bearer <ingest key>)");
      }
      const result = await settings.consumer.consume({ signal, orgId: key.orgId, keyId: key.keyId, body: call.request, encoding: "protobuf" });
      callback(null, Buffer.from(settings.consumer.encodeResponse(signal, result, "protobuf")));
    })().catch((error: unknown) => {
      if (error instanceof CollectorError) {
        const metadata = new grpc.Metadata();
        // RetryInfo would need google.rpc details; a plain hint keeps clients' default backoff working.
        if (error.retryAfterSeconds !== undefined) metadata.set("retry-after", String(error.retryAfterSeconds));
        callback({ code: GRPC_STATUS[error.httpStatus] ?? grpc.status.UNKNOWN, details: error.message, metadata });
        return;
      }
      settings.log(`[collector/grpc] unexpected error: ${(error as Error).stack ?? error}`);
      callback({ code: grpc.status.UNAVAILABLE, details: "internal collector error; retry later" });
    });
  };
}

export async function startOtlpGrpcReceiver(settings: OtlpGrpcReceiverSettings & { port: number; host: string }): Promise<{ port: number; close: () => Promise<void> }> {
  const server = new grpc.Server({ "grpc.max_receive_message_length": settings.maxBodyBytes });
  server.addService(TRACE_SERVICE, { Export: handler(settings, "traces") });
  server.addService(METRICS_SERVICE, { Export: handler(settings, "metrics") });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${settings.host}:${settings.port}`, grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.forceShutdown(), 5_000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
