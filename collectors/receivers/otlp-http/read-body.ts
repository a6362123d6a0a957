import type { IncomingMessage } from "node:http";
import zlib from "node:zlib";
import { badRequest, payloadTooLarge, unsupportedMediaType } from "../../errors.ts";

/**
 * Reads a request body, gunzipping when Content-Encoding says so, and enforces the size limit on the
 * DECOMPRESSED bytes (a small gzip bomb must not blow up memory).
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const encoding = (req.headers["content-encoding"] ?? "identity").toLowerCase().trim();
  if (encoding !== "gzip" && encoding !== "identity") throw unsupportedMediaType(`unsupported Content-Encoding: ${encoding}`);
  const declared = Number(req.headers["content-length"] ?? 0);
  if (encoding === "identity" && declared > maxBytes) throw payloadTooLarge(`body of ${declared} bytes exceeds the limit of ${maxBytes} bytes`);
  const raw = await collect(req, encoding === "identity" ? maxBytes : Math.max(maxBytes, 1) );
  if (encoding === "identity") return raw;
  return gunzipLimited(raw, maxBytes);
}

function collect(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > maxBytes) {
        failed = true;
        reject(payloadTooLarge(`body exceeds the limit of ${maxBytes} bytes`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => !failed && resolve(Buffer.concat(chunks, size)));
    req.on("error", (error) => !failed && reject(badRequest(`could not read body: ${error.message}`)));
  });
}

/**
 * Synchronous on purpose: zlib's async gunzip inflates in 16 KiB steps, each a thread-pool round trip and a callback on
 * this thread, which cost 2–3× the CPU of inflating in one go (~370–530 vs ~170 µs per 512-span request,
 * bench/RESULTS.md), on a machine whose other cores are busy anyway. The limit bounds the blocking too: a body at the
 * 16 MiB default limit (263 KiB of gzip'd OTLP/JSON) inflated in 13–59 ms here, which is how long the event loop waits.
 */
async function gunzipLimited(raw: Buffer, maxBytes: number): Promise<Buffer> {
  try {
    return zlib.gunzipSync(raw, { maxOutputLength: maxBytes });
  } catch (e) {
    const error = e as NodeJS.ErrnoException;
    if (error.code === "ERR_BUFFER_TOO_LARGE" || /Cannot create a Buffer larger|maxOutputLength/i.test(error.message)) {
      throw payloadTooLarge(`decompressed body exceeds the limit of ${maxBytes} bytes`);
    }
    throw badRequest(`invalid gzip body: ${error.message}`);
  }
}
