import { Link } from "../components/link";

export default function NotFound() {
  return (
    <div className="mx-auto mt-16 max-w-lg text-center" data-testid="not-found">
      <p className="text-6xl font-bold text-zinc-300">404</p>
      <h1 className="mt-4 text-2xl font-semibold">Page not found</h1>
      <p className="muted mt-2">
        The page could not be found or you don&apos;t have permission to view it. If you think this is a
        mistake, try signing in.
      </p>
      <div className="mt-6 flex justify-center gap-3">
        <Link href="/" className="btn">
          Go to the dashboard
        </Link>
        <Link href="/users/sign_in" className="btn btn-primary">
          Sign in
        </Link>
      </div>
    </div>
  );
}
