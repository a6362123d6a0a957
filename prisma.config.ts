import { defineConfig } from "prisma/config";

// Prisma 7 reads the connection from here, not from schema.prisma. Unset is fine for `prisma generate`.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
