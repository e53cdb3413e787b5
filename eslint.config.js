// Type-aware lint for the whole monorepo, plus the import boundaries ARCHITECTURE.md documents.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

/** Import bans per package: the dependency direction, enforced. */
const boundaries = [
  {
    files: ["packages/contracts/**"],
    deny: ["@minilab/*", "@prisma/*", "pg", "ioredis", "bullmq", "node:*"],
    why: "contracts is schemas only",
  },
  {
    files: ["packages/pipeline/**"],
    deny: [
      "@minilab/*",
      "@prisma/*",
      "pg",
      "ioredis",
      "bullmq",
      "dockerode",
      "node:fs",
      "node:fs/*",
      "fs",
      "node:child_process",
      "child_process",
      "node:net",
      "node:http",
    ],
    why: "the pipeline engine is pure: no I/O",
  },
  { files: ["packages/db/**"], deny: ["@minilab/*"], why: "db is the bottom layer" },
  { files: ["packages/git/**"], deny: ["@minilab/*", "@prisma/*"], why: "git knows nothing of the database" },
  {
    files: ["packages/registry/**"],
    deny: ["@minilab/*", "@prisma/*"],
    why: "the registry's storage and formats know nothing of the database",
  },
  {
    files: ["packages/queue/**"],
    deny: ["@minilab/db", "@minilab/core", "@minilab/git", "@prisma/*"],
    why: "queue carries ids, not data",
  },
  {
    files: ["packages/executor/**", "apps/runner/**"],
    deny: ["@minilab/db", "@minilab/core", "@minilab/git", "@minilab/pipeline", "@prisma/*", "pg"],
    why: "the runner talks to the server only through its HTTP API (packages/contracts)",
  },
  {
    files: ["packages/core/**"],
    deny: ["next", "next/*", "react", "@minilab/stack", "@minilab/executor"],
    why: "core is transport-free",
  },
  {
    files: ["apps/web/**"],
    deny: ["@minilab/stack", "@minilab/executor", "@prisma/*"],
    why: "web reaches data through core and db",
    also: [
      {
        group: ["next/link"],
        message: "use components/link.tsx: it prefetches on hover or focus, not every link on screen",
      },
    ],
  },
];

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/.next*/**",
      "**/dist/**",
      "**/generated/**",
      ".minilab/**",
      "scripts/**",
      "test-results/**",
      "playwright-report/**",
      "**/*.config.js",
      "**/*.config.mjs",
      "apps/web/next-env.d.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    files: ["apps/web/**/*.tsx", "apps/web/**/*.ts"],
    plugins: { "react-hooks": reactHooks },
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "error" },
  },
  ...boundaries.map(({ files, deny, why, also = [] }) => ({
    files,
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: deny, message: why }, ...also] }],
    },
  })),
  {
    // bin/ is the pipeline package's one I/O edge: the ci:plan CLI reads the file and the repo folder;
    // the gitlab-ci-local oracle (differential test, bench) also writes temp repos and runs git.
    files: ["packages/pipeline/bin/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@minilab/*", "@prisma/*", "node:net", "node:http"],
              message: "bin/ does local I/O only",
            },
          ],
        },
      ],
    },
  },
);
