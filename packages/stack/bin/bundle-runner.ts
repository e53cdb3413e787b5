/** `node --import tsx packages/stack/bin/bundle-runner.ts`: writes apps/runner/dist/main.mjs (Dockerfile). */
import { bundleRunner } from "../src/runner-bundle.ts";

console.log(`runner bundle: ${await bundleRunner()}`);
