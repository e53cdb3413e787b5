/**
 * Browser sessions. The cookie holds the raw session token; core stores only its hash.
 * `currentUser` is memoised per request (React `cache`), so the layout and the page share one lookup.
 */
import { cache } from "react";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { resolveSession } from "@minilab/core";
import { getDb, type User } from "@minilab/db";
import { env } from "../env";

export const SESSION_COOKIE = "minilab_session";

export const currentUser = cache(async (): Promise<User | null> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  return resolveSession({ db: getDb(), token });
});

/** The signed-in user, or a redirect to the sign-in page that comes back to `returnTo`. */
export async function requireUser(returnTo?: string): Promise<User> {
  const user = await currentUser();
  if (user) return user;
  redirect(signInPath(returnTo));
}

export function signInPath(returnTo?: string): string {
  return returnTo ? `/users/sign_in?redirect_to=${encodeURIComponent(returnTo)}` : "/users/sign_in";
}

/** Only same-site absolute paths: an open redirect would let a link send users anywhere. */
export function safeReturnPath(value: unknown): string {
  if (
    typeof value !== "string" ||
    !value.startsWith("/") ||
    value.startsWith("//") ||
    value.startsWith("/\\")
  ) {
    return "/";
  }
  return value;
}

export async function setSessionCookie(token: string, expiresAt: Date): Promise<void> {
  (await cookies()).set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    expires: expiresAt,
    // Secure when served over HTTPS; plain-HTTP self-hosting (localhost) must still work.
    secure: env().externalUrl.startsWith("https:"),
  });
}

export async function clearSessionCookie(): Promise<string | undefined> {
  const store = await cookies();
  const token = store.get(SESSION_COOKIE)?.value;
  store.delete(SESSION_COOKIE);
  return token;
}
