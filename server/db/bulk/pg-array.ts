/**
 * One-dimensional PostgreSQL array literals for `$n::type[]` parameters, built directly. node-postgres turns a JS
 * array into the same text, but through prepareValue → arrayString → escapeElement per element, which was ~5 % of
 * the collector's CPU for the ingest statements' ~30 column arrays per batch (bench/RESULTS.md). The server parses
 * either the same way (array_in).
 */

const NEEDS_ESCAPE = /["\\]/;
const ESCAPE_ALL = /["\\]/g;

/** Text elements, each double-quoted (so NULL, empty strings, commas, braces and spaces stay text); null → NULL. */
export function textArray(values: readonly (string | null | undefined)[]): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ",";
    const v = values[i];
    if (v === null || v === undefined) out += "NULL";
    else out += `"${NEEDS_ESCAPE.test(v) ? v.replace(ESCAPE_ALL, "\\$&") : v}"`;
  }
  return `${out}}`;
}

/** Numbers (ints, numerics as decimal strings, bigints) and booleans, which never need quoting; null → NULL. */
export function scalarArray(values: readonly (number | bigint | boolean | string | null | undefined)[]): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ",";
    const v = values[i];
    if (v === null || v === undefined) out += "NULL";
    else if (typeof v === "boolean") out += v ? "t" : "f";
    else if (typeof v === "string") {
      if (!NUMERIC_TEXT.test(v)) throw new Error(`not a number for a scalar array: ${JSON.stringify(v)}`);
      out += v;
    } else out += String(v);
  }
  return `${out}}`;
}

const NUMERIC_TEXT = /^-?\d+(\.\d+)?$/;
