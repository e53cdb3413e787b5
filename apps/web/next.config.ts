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
  // Lets several builds of one checkout coexist (e.g. a developer's preview next to `npm test`).
  distDir: process.env["MINILAB_NEXT_DIST_DIR"] ?? ".next",
};

export default nextConfig;
