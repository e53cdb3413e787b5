import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentUser } from "../../../server/session";
import { SignUpForm } from "../auth-forms";

export const metadata: Metadata = { title: "Register" };

export default async function SignUpPage() {
  if (await currentUser()) redirect("/");
  return (
    <div className="mx-auto mt-8 max-w-sm">
      <h1 className="page-title mb-6 text-center">Create an account</h1>
      <div className="card p-6">
        <SignUpForm />
      </div>
    </div>
  );
}
