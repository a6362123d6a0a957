import { afterAll, describe, expect, it } from "vitest";
import { scalarArray, textArray } from "../../../server/db/bulk/pg-array.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";

const AWKWARD = ["plain", "", "NULL", "null", "with space", " lead", "comma,here", "{brace}", 'quote"d', "back\\slash", '\\"', "tab\tnew\nline", "ünï 💸", null];

describe("array literals built for $n::type[] parameters parse back to the same values", () => {
  const db = testDb();
  afterAll(closeTestDb);

  it("text elements keep every character, and NULL stays distinct from the string 'NULL'", async () => {
    const { rows } = await db.pool.query<{ a: (string | null)[] }>("SELECT $1::text[] AS a", [textArray(AWKWARD)]);
    expect(rows[0]!.a).toEqual(AWKWARD);
    const nested = textArray([textArray(["a", 'b"c']), textArray([])]); // a text[] per row, cast later (insert-tasks.ts)
    const { rows: r2 } = await db.pool.query<{ a: string[]; b: string[] }>("SELECT (($1::text[])[1])::text[] AS a, (($1::text[])[2])::text[] AS b", [nested]);
    expect(r2[0]).toEqual({ a: ["a", 'b"c'], b: [] });
  });

  it("numbers, exact decimals and booleans", async () => {
    const { rows } = await db.pool.query<{ i: string[]; n: string[]; b: (boolean | null)[] }>(
      "SELECT $1::int8[]::text[] AS i, $2::numeric[]::text[] AS n, $3::bool[] AS b",
      [scalarArray([0, -3, 9_007_199_254_740_991n, null]), scalarArray(["0.000000000001", "123456789012.123456789012", "-1"]), scalarArray([true, false, null])],
    );
    expect(rows[0]).toEqual({ i: ["0", "-3", "9007199254740991", null], n: ["0.000000000001", "123456789012.123456789012", "-1"], b: [true, false, null] });
    expect(scalarArray([])).toBe("{}");
    expect(() => scalarArray(["1); DROP TABLE spans; --"])).toThrow(/not a number/);
  });
});
