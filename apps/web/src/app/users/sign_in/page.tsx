import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentUser, safeReturnPath } from "../../../server/session";
import { SignInForm } from "../auth-forms";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const redirectTo = safeReturnPath((await searchParams)["redirect_to"]);
  if (await currentUser()) redirect(redirectTo);
  return (
    <div className="mx-auto mt-8 max-w-sm">
      <h1 className="page-title mb-6 text-center">Sign in to minilab</h1>
      <div className="card p-6">
        <SignInForm redirectTo={redirectTo} />
      </div>
    </div>
  );
}
