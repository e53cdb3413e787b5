/**
 * Makes an image available according to the pull policy and the runner's allowed_images. Returns a
 * failure message (for the job log) or null when the image can be used. A missing image under
 * `never`, a failed pull and a disallowed image all end the job as `image_pull_failure`.
 */
import type Docker from "dockerode";
import type { DockerOptions } from "./types.ts";

export async function ensureImage(
  docker: Docker,
  image: string,
  opts: DockerOptions,
  onInfo: (line: string) => void,
): Promise<string | null> {
  const allowed = opts.allowedImages ?? [];
  if (allowed.length > 0 && !allowed.some((p) => globMatch(p, image)))
    return `image ${image} is not allowed by this runner (allowed_images: ${allowed.join(", ")})`;
  const policy = opts.pullPolicy ?? "if-not-present";
  if (policy !== "always") {
    try {
      await docker.getImage(image).inspect();
      return null;
    } catch (err) {
      if (statusOf(err) !== 404) return `cannot inspect image ${image}: ${describe(err)}`;
    }
    if (policy === "never") return `image ${image} is not present locally and pull_policy is "never"`;
  }
  onInfo(`Pulling docker image ${image} ...`);
  try {
    const stream = await docker.pull(image);
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream, (e: Error | null) => (e ? reject(e) : resolve())),
    );
    return null;
  } catch (err) {
    return `failed to pull image ${image} (pull_policy "${policy}"): ${describe(err)}`;
  }
}

/** `*` matches any run of characters (including `/` and `:`); everything else is literal. */
export function globMatch(pattern: string, value: string): boolean {
  const re = pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${re.join(".*")}$`).test(value);
}

export function statusOf(err: unknown): number | undefined {
  return typeof err === "object" && err !== null && "statusCode" in err ? Number(err.statusCode) : undefined;
}

export function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
