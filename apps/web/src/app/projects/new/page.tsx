import type { Metadata } from "next";
import { requireUser } from "../../../server/session";
import { NewProjectForm } from "./new-project-form";

export const metadata: Metadata = { title: "New project" };

export default async function NewProjectPage() {
  const user = await requireUser("/projects/new");
  return (
    <div className="max-w-2xl">
      <h1 className="page-title">Create blank project</h1>
      <p className="muted mt-1 mb-6">
        Create a project to store your files, plan your work and run CI/CD pipelines.
      </p>
      <div className="card p-6">
        <NewProjectForm namespace={user.username} />
      </div>
    </div>
  );
}
