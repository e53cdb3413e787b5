import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Workspace packages ship TypeScript sources (`exports: ./src/index.ts`), so Next compiles them.
  transpilePackages: [
    "@minilab/contracts",
    "@minilab/core",
    "@minilab/db",
    "@minilab/git",
    "@minilab/pipeline",
    "@minilab/queue",
    "@minilab/registry",
  ],
  // Native addons and Node-only clients are required at runtime instead of bundled.
  serverExternalPackages: [
    "@node-rs/argon2",
    "@prisma/client",
    "@prisma/adapter-pg",
    "pg",
    "bullmq",
    "ioredis",
    "dockerode",
  ],
  poweredByHeader: false,
  // The container registry API needs `/v2/` and `POST /v2/<name>/blobs/uploads/` as sent: Docker
  // does not carry its token across the 308 Next would answer to strip the trailing slash.
  skipTrailingSlashRedirect: true,
  // Lets several builds of one checkout coexist (e.g. a developer's preview next to `npm test`).
  distDir: process.env["MINILAB_NEXT_DIST_DIR"] ?? ".next",
};

export default nextConfig;
