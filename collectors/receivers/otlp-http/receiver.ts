import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { CollectorError, unauthorized, unsupportedMediaType } from "../../errors.ts";
import { verifyIngestKey } from "../verify-ingest-key.ts";
import type { KeyVerifier, OtlpConsumer, OtlpEncoding, Signal } from "../../types.ts";
import { readBody } from "./read-body.ts";

export type OtlpHttpReceiverSettings = {
  consumer: OtlpConsumer;
  verifier: KeyVerifier;
  maxBodyBytes: number;
  /** Liveness of what the receiver depends on (database); false → /healthz 503. */
  isHealthy: () => Promise<boolean>;
  log: (line: string) => void;
  /** Counts requests refused here, before the consumer (which counts its own). */
  metrics?: { refused: (signal: Signal, httpStatus: number) => void };
};

const PATHS: Record<string, Signal> = { "/v1/traces": "traces", "/v1/metrics": "metrics" };

function encodingOf(contentType: string | undefined): OtlpEncoding | null {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/x-protobuf" || type === "application/protobuf") return "protobuf";
  if (type === "application/json") return "json";
  return null;
}

function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1] ?? null;
  }
  const apiKey = req.headers["x-api-key"];
  return typeof apiKey === "string" ? apiKey.trim() : null;
}

/**
 * OTLP/HTTP receiver: POST /v1/traces and /v1/metrics (protobuf or JSON, optionally gzip), Bearer ingest key
 * or x-api-key. The org comes only from the key. Errors are google.rpc.Status-shaped JSON/protobuf bodies
 * per the spec; the response Content-Type matches the request's.
 */
export function createOtlpHttpReceiver(settings: OtlpHttpReceiverSettings): http.Server {
  return http.createServer((req, res) => {
    handle(settings, req, res).catch((error) => {
      settings.log(`[collector] unexpected error: ${(error as Error).stack ?? error}`);
      if (!res.headersSent) sendError(res, "json", new CollectorError(503, "internal collector error; retry later", 5));
    });
  });
}

async function handle(settings: OtlpHttpReceiverSettings, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://collector");
  if (url.pathname === "/healthz" && (req.method === "GET" || req.method === "HEAD")) {
    const healthy = await settings.isHealthy().catch(() => false);
    res.writeHead(healthy ? 200 : 503, { "content-type": "application/json" });
    res.end(JSON.stringify(healthy ? { status: "ok", role: "collector" } : { status: "degraded", role: "collector", database: "unreachable" }));
    return;
  }
  const signal = PATHS[url.pathname];
  if (!signal) {
    req.resume();
    return sendError(res, "json", new CollectorError(404, `no such endpoint: ${url.pathname} (use /v1/traces or /v1/metrics)`));
  }
  if (req.method !== "POST") {
    req.resume();
    res.setHeader("allow", "POST");
    return sendError(res, "json", new CollectorError(405, `method ${req.method} not allowed; use POST`));
  }
  const encoding = encodingOf(req.headers["content-type"]);
  let consuming = false;
  try {
    if (!encoding) {
      req.resume();
      throw unsupportedMediaType(`unsupported Content-Type ${req.headers["content-type"] ?? "(none)"}; use application/x-protobuf or application/json`);
    }
    const key = await verifyIngestKey(settings.verifier, bearerToken(req));
    if (!key) {
      req.resume();
      throw unauthorized("missing, invalid or revoked ingest key (send Authorization: Bearer <ingest key>)");
    }
    const body = await readBody(req, settings.maxBodyBytes);
    consuming = true;
    const result = await settings.consumer.consume({ signal, orgId: key.orgId, keyId: key.keyId, body, encoding });
    res.writeHead(200, { "content-type": encoding === "json" ? "application/json" : "application/x-protobuf" });
    res.end(settings.consumer.encodeResponse(signal, result, encoding));
  } catch (error) {
    if (!req.complete) req.resume(); // discard an unread body so the connection stays usable
    if (error instanceof CollectorError) {
      if (!consuming) settings.metrics?.refused(signal, error.httpStatus);
      return sendError(res, encoding ?? "json", error);
    }
    throw error;
  }
}

/** google.rpc.Status { code (field 1), message (field 2) } as JSON or hand-encoded protobuf. */
function sendError(res: ServerResponse, encoding: OtlpEncoding, error: CollectorError): void {
  res.setHeader("content-type", encoding === "json" ? "application/json" : "application/x-protobuf");
  if (error.retryAfterSeconds !== undefined) res.setHeader("retry-after", String(error.retryAfterSeconds));
  res.writeHead(error.httpStatus);
  const grpcCode = GRPC_CODE[error.httpStatus] ?? 2;
  if (encoding === "json") {
    res.end(JSON.stringify({ code: grpcCode, message: error.message }));
    return;
  }
  const message = Buffer.from(error.message, "utf8");
  res.end(Buffer.concat([Buffer.from([0x08, grpcCode, 0x12]), varint(message.length), message]));
}

const GRPC_CODE: Record<number, number> = { 400: 3, 401: 16, 403: 7, 404: 5, 405: 12, 413: 3, 415: 3, 429: 8, 503: 14 };

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let v = value;
  while (v > 0x7f) {
    bytes.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  bytes.push(v);
  return Buffer.from(bytes);
}
