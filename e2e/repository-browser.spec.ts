import { mkdir } from "node:fs/promises";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { createPersonalAccessToken, createProject, createUser } from "@minilab/core";
import { createDb } from "@minilab/db";
import { commitFiles, git, newWorkTree, withCredentials } from "./git.ts";

// Repository browser on the real stack: a private project pushed with the git CLI, then browsed by
// its owner — README rendered, tree navigation, highlighted blob, commits, commit diff, branches.
// Needs MINILAB_WEB_URL and DATABASE_URL (the stack's database).

test("browse a pushed repository", async ({ page, baseURL }) => {
  const suffix = Date.now().toString(36);
  const db = createDb(process.env["DATABASE_URL"] ?? "");
  const password = "correct horse battery";
  const user = await createUser({ db, username: `rb${suffix}`, email: `rb${suffix}@example.com`, password });
  const { token } = await createPersonalAccessToken({
    db,
    userId: user.id,
    name: "e2e",
    scopes: ["write_repository"],
  });
  const project = await createProject({ db, owner: user, name: "browser", visibility: "private" });
  await db.$disconnect();
  const base = `/${project.namespace}/${project.path}`;
  const remote = withCredentials(`${baseURL}${base}.git`, user.username, token);

  const dir = await newWorkTree();
  await mkdir(path.join(dir, "src/lib"), { recursive: true });
  await commitFiles(
    dir,
    {
      "README.md":
        "# Browser demo\n\nSee [the helper](src/lib/helper.ts).\n\n<script>window.pwned = 1</script>\n",
      "src/lib/helper.ts":
        "/** Adds. */\nexport function add(a: number, b: number): number {\n  return a + b;\n}\n",
    },
    "Initial import",
  );
  await git(dir, "checkout", "-q", "-b", "feature/greeting");
  await commitFiles(
    dir,
    { "src/lib/helper.ts": "export const greet = (n: string) => `hi ${n}`;\n" },
    "Add greeting",
  );
  await git(dir, "push", "-q", remote, "main", "feature/greeting");

  await page.goto("/users/sign_in");
  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: /sign in/i }).click();
  await expect(page.getByText(user.username).first()).toBeVisible();

  // Overview: README rendered as HTML, script stripped, and the file tree of main.
  await page.goto(base);
  const readme = page.getByTestId("readme");
  await expect(readme.getByRole("heading", { name: "Browser demo" })).toBeVisible();
  expect(await readme.locator("script").count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();

  // Tree navigation down to the file, which is highlighted with line anchors.
  await page.getByTestId("file-tree").getByRole("link", { name: "src" }).click();
  await expect(page).toHaveURL(new RegExp(`${base}/-/tree/main/src$`));
  await page.getByTestId("file-tree").getByRole("link", { name: "lib" }).click();
  await page.getByTestId("file-tree").getByRole("link", { name: "helper.ts" }).click();
  await expect(page).toHaveURL(new RegExp(`${base}/-/blob/main/src/lib/helper.ts$`));
  const code = page.getByTestId("code-view");
  await expect(code).toContainText("return a + b;");
  // Highlighted: keywords, names and comments in different colours (not one colour for all).
  const colours = await code
    .locator("span[style*='color']")
    .evaluateAll((spans) => new Set(spans.map((s) => (s as HTMLElement).style.color)).size);
  expect(colours).toBeGreaterThanOrEqual(3);
  await expect(code.locator("a[href='#L2']")).toBeVisible();

  // A branch whose name contains a slash resolves as one ref.
  await page.goto(`${base}/-/blob/feature/greeting/src/lib/helper.ts`);
  await expect(page.getByTestId("code-view")).toContainText("greet");

  // Commits list and a commit's diff.
  await page.goto(`${base}/-/commits/feature/greeting`);
  await expect(page.getByTestId("commit-row")).toHaveCount(2);
  await page.getByRole("link", { name: "Add greeting" }).first().click();
  await expect(page.getByTestId("commit-title")).toHaveText("Add greeting");
  const file = page.getByTestId("diff-file").first();
  await expect(file).toContainText("src/lib/helper.ts");
  await expect(file.locator("tr[data-kind='add']")).toContainText(["export const greet"]);
  await expect(file.locator("tr[data-kind='del']")).toContainText(["/** Adds. */", "export function add"]);

  // Branches, newest first.
  await page.goto(`${base}/-/branches`);
  await expect(page.getByTestId("ref-link")).toHaveText(["feature/greeting", "main"]);
});
