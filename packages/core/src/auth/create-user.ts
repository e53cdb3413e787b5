import { Prisma, type Db, type User } from "@minilab/db";
import { AppError } from "../errors.ts";
import { checkPathSegment } from "./names.ts";
import { hashPassword, MIN_PASSWORD_LENGTH } from "./password.ts";

export interface CreateUserOptions {
  db: Db;
  /** Becomes the user's namespace: same rules as project paths. */
  username: string;
  email: string;
  /** Display name. @defaultValue the username */
  name?: string;
  password: string;
  /** @defaultValue false */
  isAdmin?: boolean;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function createUser({
  db,
  username,
  email,
  name,
  password,
  isAdmin = false,
}: CreateUserOptions): Promise<User> {
  checkPathSegment("username", username);
  const mail = email.trim();
  if (mail.length > 255 || !EMAIL.test(mail))
    throw new AppError("invalid_input", "email is not a valid address", { field: "email" });
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError("invalid_input", `password must be at least ${MIN_PASSWORD_LENGTH} characters`, {
      field: "password",
    });
  }
  // The unique indexes are case-sensitive; names and addresses must be unique ignoring case.
  const taken = await db.user.findFirst({
    where: {
      OR: [
        { username: { equals: username, mode: "insensitive" } },
        { email: { equals: mail, mode: "insensitive" } },
      ],
    },
    select: { username: true },
  });
  if (taken) {
    const field = taken.username.toLowerCase() === username.toLowerCase() ? "username" : "email";
    throw new AppError("conflict", `${field} is already taken`, { field });
  }
  try {
    return await db.user.create({
      data: {
        username,
        email: mail,
        name: name?.trim() || username,
        passwordHash: await hashPassword(password),
        isAdmin,
      },
    });
  } catch (e) {
    // Lost a race against a concurrent sign-up with exactly the same name or address.
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      throw new AppError("conflict", "username or email is already taken");
    }
    throw e;
  }
}
