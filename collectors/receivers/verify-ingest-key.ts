import { unavailable } from "../errors.ts";
import type { KeyVerifier } from "../types.ts";

/**
 * Verifies an ingest key; a database failure while looking it up is the same retryable 503 as failing to store
 * (not an "unexpected error" logged per request, which would flood the log during an outage).
 */
export async function verifyIngestKey(verifier: KeyVerifier, token: string | null): Promise<{ orgId: string; keyId: string } | null> {
  try {
    return await verifier.verify(token, "ingest");
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw unavailable(`cannot verify the ingest key: storage unavailable${code ? ` (${code})` : ""}; retry later`, 5);
  }
}
