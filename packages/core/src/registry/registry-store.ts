/**
 * The process-wide blob store (`<MINILAB_DATA_DIR>/registry`) and the secret registry tokens are
 * signed with. The secret is generated on first use and kept in the data directory (mode 0600), so
 * tokens stay valid across restarts and every web process of one installation shares it.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { BlobStore } from "@minilab/registry";
import { coreConfig } from "../config.ts";

let store: BlobStore | undefined;
let secret: Buffer | undefined;

export const registryRoot = (): string => path.join(coreConfig().dataDir, "registry");

export function registryStore(): BlobStore {
  store ??= new BlobStore({ root: registryRoot() });
  return store;
}

export function registryTokenSecret(): Buffer {
  if (secret) return secret;
  const file = path.join(registryRoot(), "token-secret");
  mkdirSync(registryRoot(), { recursive: true });
  try {
    writeFileSync(file, randomBytes(32), { flag: "wx", mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  secret = readFileSync(file);
  return secret;
}

/** For tests that switch MINILAB_DATA_DIR. */
export function resetRegistryStore(): void {
  store = undefined;
  secret = undefined;
}
