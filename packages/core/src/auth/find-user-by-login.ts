import type { Db, User } from "@minilab/db";

/** `login` is a username or an email address, both matched ignoring case. */
export function findUserByLogin(db: Db, login: string): Promise<User | null> {
  const value = login.trim();
  if (!value) return Promise.resolve(null);
  return db.user.findFirst({
    where: value.includes("@")
      ? { email: { equals: value, mode: "insensitive" } }
      : { username: { equals: value, mode: "insensitive" } },
  });
}
