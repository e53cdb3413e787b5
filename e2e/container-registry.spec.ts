import { createHash } from "node:crypto";
import { expect, test } from "@playwright/test";
import { shot, signUpWithProject } from "./support/session.ts";

// The project's Container registry page: images pushed over the registry API appear with size,
// short digest and a copyable pull command; a maintainer deletes a tag.

const sha = (b: Buffer | string): string => `sha256:${createHash("sha256").update(b).digest("hex")}`;

test("container registry page lists tags and deletes one", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const s = await signUpWithProject(page, "reg");
  const name = `${s.username}/demo`;
  const auth = Buffer.from(`${s.username}:${s.token}`).toString("base64");
  const tokenRes = await fetch(
    `${baseURL}/jwt/auth?service=container_registry&scope=repository:${name}:pull,push`,
    {
      headers: { Authorization: `Basic ${auth}` },
    },
  );
  const { token } = (await tokenRes.json()) as { token: string };
  const bearer = { Authorization: `Bearer ${token}` };

  // Two blobs (config + one layer) uploaded monolithically, then one manifest under two tags.
  const config = Buffer.from(
    JSON.stringify({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: [] } }),
  );
  const layer = Buffer.alloc(300 * 1024, 7);
  for (const blob of [config, layer]) {
    const r = await fetch(`${baseURL}/v2/${name}/blobs/uploads/?digest=${sha(blob)}`, {
      method: "POST",
      body: blob,
      headers: { ...bearer, "Content-Type": "application/octet-stream" },
    });
    expect(r.status).toBe(201);
  }
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: {
      mediaType: "application/vnd.oci.image.config.v1+json",
      digest: sha(config),
      size: config.length,
    },
    layers: [
      { mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: sha(layer), size: layer.length },
    ],
  });
  for (const tag of ["v1.0", "latest"]) {
    const r = await fetch(`${baseURL}/v2/${name}/manifests/${tag}`, {
      method: "PUT",
      body: manifest,
      headers: { ...bearer, "Content-Type": "application/vnd.oci.image.manifest.v1+json" },
    });
    expect(r.status).toBe(201);
  }

  await page.goto(s.base);
  await expect(page.getByRole("link", { name: "Container registry" })).toHaveAttribute(
    "href",
    `${s.base}/-/container_registry`,
  );
  await page.goto(`${s.base}/-/container_registry`);
  const rows = page.getByTestId("registry-tag");
  await expect(rows).toHaveCount(2);
  const host = new URL(baseURL!).host;
  await expect(page.getByTestId("pull-v1.0")).toHaveValue(`docker pull ${host}/${name}:v1.0`);
  await expect(rows.first()).toContainText(sha(manifest).slice(7, 19));
  await expect(rows.first()).toContainText("KiB");
  await shot(page, "container-registry");

  await page.getByRole("button", { name: "Delete tag v1.0" }).click();
  await expect(page.getByTestId("settings-notice")).toContainText("Tag v1.0 deleted");
  await expect(rows).toHaveCount(1);
  await expect(page.getByTestId("pull-latest")).toBeVisible();
});
