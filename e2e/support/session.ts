/**
 * Journey helpers for the CI pages' specs: a fresh user (signed in through the UI), a project, a
 * write token, and pushing commits with the real git CLI.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { commitFiles, git, newWorkTree, withCredentials } from "../git.ts";

export interface Session {
  username: string;
  token: string;
  base: string;
  push(files: Record<string, string>, message: string, branch?: string): Promise<string>;
}

export async function signUpWithProject(page: Page, prefix: string): Promise<Session> {
  const username = `${prefix}${Date.now().toString(36)}`;
  await page.goto("/users/sign_up");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Email").fill(`${username}@example.com`);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: /register|sign up|create account/i }).click();
  await expect(page.getByText(username).first()).toBeVisible();

  await page.goto("/projects/new");
  await page.getByLabel(/project name/i).fill("demo");
  await page.getByRole("button", { name: /create project/i }).click();
  await expect(page).toHaveURL(new RegExp(`/${username}/demo$`));
  const cloneUrl = new URL(`/${username}/demo.git`, page.url()).toString();

  await page.goto("/-/user_settings/personal_access_tokens");
  await page.getByLabel(/token name/i).fill("laptop");
  await page.getByLabel("write_repository").check();
  await page.locator("input[name=scopes][value=api]").check();
  await page.getByRole("button", { name: /create.*token/i }).click();
  const tokenField = page.getByTestId("created-token");
  await expect(tokenField).toBeVisible();
  const token = ((await tokenField.inputValue().catch(() => tokenField.innerText())) || "").trim();

  const dir = await newWorkTree();
  const remote = withCredentials(cloneUrl, username, token);
  return {
    username,
    token,
    base: `/${username}/demo`,
    async push(files, message, branch = "main") {
      const sha = await commitFiles(dir, files, message);
      await git(dir, "push", "-q", remote, `HEAD:refs/heads/${branch}`);
      return sha;
    },
  };
}

/** Saves a full-page screenshot under e2e/screenshots/ (kept as a CI artifact). */
export async function shot(page: Page, name: string): Promise<void> {
  const dir = path.join(import.meta.dirname, "..", "screenshots");
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/** Opens the newest pipeline of the project and returns its URL. */
export async function openLatestPipeline(page: Page, base: string): Promise<string> {
  await page.goto(`${base}/-/pipelines`);
  await expect(page.getByTestId("pipeline-row").first()).toBeVisible({ timeout: 30_000 });
  await page.getByTestId("pipeline-row").first().getByRole("link").first().click();
  await expect(page).toHaveURL(/\/-\/pipelines\/\d+$/);
  return page.url();
}
