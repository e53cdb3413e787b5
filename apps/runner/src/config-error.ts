/** Invalid configuration: the message names the key or variable; the process exits with code 2. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}
