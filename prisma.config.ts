// Prisma CLI configuration. The migrate CLI needs a schema-engine binary that cannot be downloaded
// here; minilab applies prisma/migrations itself (packages/db/src/migrate.ts) with the same bookkeeping.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env["DATABASE_URL"] ?? "postgresql://localhost:5432/minilab" },
});
