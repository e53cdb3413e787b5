import { Link } from "../components/link";
import { listProjectsForUser } from "@minilab/core";
import { getDb } from "@minilab/db";
import { LiveRefresh } from "../components/live-refresh";
import { ProjectList } from "../components/project-list";
import { RecentPipelines } from "../components/recent-pipelines";
import { readLiveVersion } from "../server/live-version";
import { currentUser } from "../server/session";

export default async function DashboardPage() {
  const [user, version] = await Promise.all([
    currentUser(),
    // Before the projects and pipelines are read (see LiveRefresh).
    readLiveVersion((v) => v.anyProjectStatus),
  ]);
  const projects = await listProjectsForUser({ db: getDb(), user });
  if (!user) {
    return (
      <div className="space-y-8">
        <section className="card bg-brand-50 px-6 py-10 text-center">
          <h1 className="text-3xl font-semibold">Welcome to minilab</h1>
          <p className="mx-auto mt-2 max-w-xl text-zinc-700">
            Host git repositories and run GitLab-compatible CI pipelines on your own machine.
          </p>
          <div className="mt-6 flex justify-center gap-3">
            <Link href="/users/sign_in" className="btn btn-primary">
              Sign in
            </Link>
            <Link href="/users/sign_up" className="btn">
              Register
            </Link>
          </div>
        </section>
        {projects.length > 0 && (
          <section>
            <LiveRefresh url="/-/events.stream" where={{ kind: ["pipeline"] }} version={version} />
            <h2 className="mb-3 text-lg font-semibold">Public projects</h2>
            <ProjectList projects={projects} />
          </section>
        )}
      </div>
    );
  }
  return (
    <div>
      <div className="mb-4 flex items-center justify-between">
        <h1 className="page-title">Projects</h1>
        <Link href="/projects/new" className="btn btn-primary">
          New project
        </Link>
      </div>
      {projects.length === 0 ? (
        <div className="card px-6 py-12 text-center">
          <h2 className="text-lg font-semibold">You don&apos;t have any projects yet</h2>
          <p className="muted mt-1">Create a project to push code and run pipelines.</p>
          <Link href="/projects/new" className="btn btn-primary mt-4">
            Create a project
          </Link>
        </div>
      ) : (
        <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
          <LiveRefresh url="/-/events.stream" where={{ kind: ["pipeline"] }} version={version} />
          <section aria-label="Your projects">
            <ProjectList projects={projects} />
          </section>
          <RecentPipelines projects={projects} />
        </div>
      )}
    </div>
  );
}
