/**
 * A GPU pool (`p`) may serve a model call (`s`) when it serves its model or its server address: the one rule by which
 * pool-hour costing prices self-hosted calls and ingest decides that a call's cost is only known on recompute.
 */
export const POOL_SERVES_CALL_SQL = "(s.model = ANY(p.serves_models) OR s.request_model = ANY(p.serves_models) OR s.server_address = ANY(p.serves_addresses))";
