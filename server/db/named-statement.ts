import type pg from "pg";

/**
 * A query config that is a named (prepared) statement when `prepared` is set: node-postgres parses it once per
 * connection and then only binds it, so the server skips parsing and planning it each time (~3.5 % of PostgreSQL's
 * CPU per ingested span for the ingest statements, bench/RESULTS.md). Only for a real server: embedded PGlite runs
 * every connection in one session, where a second connection preparing the same name fails ("already exists").
 * The text under one name must never change.
 */
export function namedStatement(prepared: boolean | undefined, name: string, text: string, values: unknown[]): pg.QueryConfig {
  return prepared ? { name, text, values } : { text, values };
}
