import type { Db } from "../server/db/client.ts";
import { CollectorError } from "./errors.ts";
import type { ExportResult, OtlpConsumer } from "./types.ts";

/** Placeholder until the decode/normalize/store pipeline lands: refuses honestly instead of dropping data. */
export function createIngestConsumer(_settings: { db: Db; maxQueuedSpans: number }): OtlpConsumer {
  return {
    consume: async (): Promise<ExportResult> => {
      throw new CollectorError(503, "OTLP ingest is not enabled in this build yet", 60);
    },
    encodeResponse: () => new Uint8Array(),
  };
}
