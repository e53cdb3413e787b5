import { defineConfig } from "vitest/config";

// One config for the whole monorepo. Integration tests read DATABASE_URL / REDIS_URL / DOCKER_HOST /
// MINILAB_WEB_URL from the environment the test orchestrator (packages/stack) provides.
export default defineConfig({
  test: {
    include: ["packages/*/{src,test}/**/*.test.ts", "apps/*/{src,test}/**/*.test.ts", "tests/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/.next/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
