import type { Db, User } from "@minilab/db";
import { AppError } from "../errors.ts";
import { findUserByLogin } from "./find-user-by-login.ts";
import { verifyAgainstDummy, verifyPassword } from "./password.ts";

export interface AuthenticatePasswordOptions {
  db: Db;
  /** Username or email. */
  login: string;
  password: string;
}

/** Throws `unauthorized` with one message for unknown login and wrong password alike. */
export async function authenticatePassword({
  db,
  login,
  password,
}: AuthenticatePasswordOptions): Promise<User> {
  const user = await findUserByLogin(db, login);
  if (!user) {
    await verifyAgainstDummy(password);
  } else if (await verifyPassword(user.passwordHash, password)) {
    return user;
  }
  throw new AppError("unauthorized", "invalid login or password");
}
