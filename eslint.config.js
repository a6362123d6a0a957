import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

const NODE_BUILTINS = ["fs", "path", "os", "http", "https", "net", "crypto", "child_process", "zlib", "stream", "url", "util", "worker_threads"];

export default tseslint.config(
  { ignores: ["node_modules/**", ".next/**", ".data/**", "server/db/generated/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ["**/*.js", "**/*.mjs"], languageOptions: { globals: globals.node } },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/no-explicit-any": "error",
      "no-console": "off",
    },
  },
  {
    // The domain layer is pure and isomorphic: no database, network, framework or Node I/O.
    files: ["server/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [...NODE_BUILTINS, ...NODE_BUILTINS.map((m) => `node:${m}`), "pg", "@prisma/client", "next", "react", "better-auth", "@trpc/server", "@electric-sql/pglite"].map((name) => ({
            name,
            message: "server/domain is pure: pass data in instead of importing I/O or frameworks.",
          })),
          patterns: [
            { group: ["**/db/**", "**/services/**", "**/api/**", "**/collectors/**", "**/app/**", "next/*", "@prisma/*", "@trpc/*", "better-auth/*"], message: "server/domain imports nothing of ours outside itself." },
          ],
        },
      ],
      "no-restricted-globals": ["error", { name: "fetch", message: "server/domain does no I/O." }, { name: "process", message: "server/domain reads no environment." }],
    },
  },
  {
    // Routers and pages are thin: they go through services, never straight to the database.
    files: ["server/api/routers/**/*.ts", "app/**/*.ts", "app/**/*.tsx"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/db/generated/**", "@prisma/client", "pg"], message: "use a service in server/services." }] }],
    },
  },
  {
    // Only server/env.ts reads process.env.
    files: ["server/**/*.ts", "collectors/**/*.ts", "app/**/*.ts", "app/**/*.tsx"],
    ignores: ["server/env.ts"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "read configuration through server/env.ts (getEnv)." }],
    },
  },
);
