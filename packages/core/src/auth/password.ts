import { hash, verify } from "@node-rs/argon2";

export const MIN_PASSWORD_LENGTH = 8;

/** argon2id with the library's defaults (OWASP-recommended memory/time cost). */
export const hashPassword = (password: string): Promise<string> => hash(password);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    // A malformed stored hash must read as "wrong password", never as a server error on login.
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Burns the same time as a real verification, so unknown logins are not distinguishable by latency. */
export async function verifyAgainstDummy(password: string): Promise<void> {
  dummyHash ??= hash("minilab-dummy-password");
  await verifyPassword(await dummyHash, password);
}
