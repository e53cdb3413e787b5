/**
 * Job images built locally, because no registry is reachable: `minilab/busybox:latest` from the
 * busybox-static package (a ~2 MB rootfs, enough for `sh` jobs). Recipes are documented in
 * images/README.md. Each image is built only when the engine does not have it yet.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  copyFileSync,
  chmodSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { log, since } from "./log.ts";
import { runChecked } from "./proc.ts";
import { dockerApi } from "./services/docker.ts";

export interface JobImage {
  name: string;
  /** Builds the image into the engine at `dockerHost`. */
  build(dockerHost: string): Promise<void>;
}

const BUSYBOX = "/bin/busybox";

/** `tar -C root -c . | docker import --change … - name`, through the Engine API. */
export async function importRootfs(
  dockerHost: string,
  root: string,
  name: string,
  changes: string[],
): Promise<void> {
  const [repo, tag = "latest"] = name.split(":");
  const q = new URLSearchParams({ fromSrc: "-", repo: repo!, tag });
  for (const c of changes) q.append("changes", c);
  const tar = spawn("tar", ["-C", root, "-c", "."], { stdio: ["ignore", "pipe", "inherit"] });
  const res = await dockerApi(dockerHost, "POST", `/images/create?${q}`, tar.stdout, {
    "Content-Type": "application/x-tar",
  });
  if (res.status !== 200 || /"error"/.test(res.text))
    throw new Error(`docker import of ${name} failed (${res.status}): ${res.text.trim()}`);
}

async function buildBusybox(dockerHost: string): Promise<void> {
  if (!existsSync(BUSYBOX)) throw new Error(`${BUSYBOX} not found: install the "busybox-static" package`);
  const root = mkdtempSync(path.join(os.tmpdir(), "minilab-busybox-"));
  try {
    for (const d of ["bin", "etc", "tmp", "root", "usr/bin", "usr/local/bin"])
      mkdirSync(path.join(root, d), { recursive: true });
    chmodSync(path.join(root, "tmp"), 0o1777);
    copyFileSync(BUSYBOX, path.join(root, "bin/busybox"));
    chmodSync(path.join(root, "bin/busybox"), 0o755);
    const applets = (await runChecked(BUSYBOX, ["--list"])).split("\n").map((s) => s.trim());
    // A `busybox` symlink would replace the binary itself with a link to itself.
    for (const a of applets.filter((x) => x && x !== "busybox" && !x.includes("/"))) {
      symlinkSync("busybox", path.join(root, "bin", a));
    }
    writeFileSync(
      path.join(root, "etc/passwd"),
      "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n",
    );
    writeFileSync(path.join(root, "etc/group"), "root:x:0:\nnogroup:x:65534:\n");
    await importRootfs(dockerHost, root, "minilab/busybox:latest", [
      "ENV PATH=/usr/local/bin:/usr/bin:/bin",
      'CMD ["/bin/sh"]',
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * `minilab/debian:bookworm`: sh, bash, git, ca-certificates and the docker CLI (docker.io), built by
 * debootstrap from the Debian archive — the image for jobs that `docker build` with the runner's
 * docker_socket option. Slow (measured 4m17s here, dominated by downloads), so it is built only when
 * the engine lacks it; set MINILAB_SKIP_DEBIAN_IMAGE=1 to skip it entirely.
 */
async function buildDebian(dockerHost: string): Promise<void> {
  const mirror = process.env["MINILAB_DEBIAN_MIRROR"] ?? "http://deb.debian.org/debian";
  const root = mkdtempSync(path.join(os.tmpdir(), "minilab-debian-"));
  try {
    await runChecked("debootstrap", [
      "--variant=minbase",
      "--include=git,ca-certificates,docker.io",
      "bookworm",
      root,
      mirror,
    ]);
    // The docker CLI is what jobs need; the daemon and its state are useless inside a job image.
    rmSync(path.join(root, "var/cache/apt/archives"), { recursive: true, force: true });
    mkdirSync(path.join(root, "var/cache/apt/archives/partial"), { recursive: true });
    await importRootfs(dockerHost, root, "minilab/debian:bookworm", [
      "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      'CMD ["/bin/bash"]',
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Images every minilab install gets. */
export const JOB_IMAGES: JobImage[] = [
  { name: "minilab/busybox:latest", build: buildBusybox },
  ...(process.env["MINILAB_SKIP_DEBIAN_IMAGE"]
    ? []
    : [{ name: "minilab/debian:bookworm", build: buildDebian }]),
];

export async function ensureJobImages(dockerHost: string): Promise<void> {
  for (const image of JOB_IMAGES) {
    if ((await dockerApi(dockerHost, "GET", `/images/${image.name}/json`)).status === 200) continue;
    const t0 = Date.now();
    log.step(`Building job image ${image.name}…`);
    await image.build(dockerHost);
    log.ok(`Built ${image.name} (${since(t0)})`);
  }
}
