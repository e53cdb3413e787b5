export type * from "./types.ts";
export { DockerExecutor } from "./docker-executor.ts";
export { JOB_ID_LABEL, RUNNER_LABEL, removeLeftoverContainers } from "./docker-container.ts";
export { FakeExecutor } from "./fake-executor.ts";
export { checkout, redactCredentials, GitCheckoutError, type CheckoutOptions } from "./git-checkout.ts";
export { sectionStart, sectionEnd, infoLine, errorLine } from "./sections.ts";
export { buildScript } from "./script.ts";
