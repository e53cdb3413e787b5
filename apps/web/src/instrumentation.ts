/** Runs once when the server starts: fail fast, naming the variable, on a bad environment. */
export async function register(): Promise<void> {
  if (process.env["NEXT_RUNTIME"] === "nodejs") {
    const { env } = await import("./env");
    env();
  }
}
