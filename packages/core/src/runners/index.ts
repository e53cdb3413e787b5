export { registerRunner, RUNNER_TOKEN_PREFIX, type RegisterRunnerOptions } from "./register-runner.ts";
export { authenticateRunner, type AuthenticateRunnerOptions } from "./authenticate-runner.ts";
