import { Link } from "./link";
import { currentUser } from "../server/session";
import { signOut } from "../app/users/actions";
import { ThemeToggle } from "./theme";

export async function TopBar() {
  const user = await currentUser();
  return (
    <header className="border-b border-zinc-200 bg-zinc-50">
      <nav aria-label="Main" className="mx-auto flex h-12 max-w-6xl items-center gap-3 px-4 sm:gap-5 sm:px-6">
        <Link href="/" className="flex items-center gap-2 font-bold text-zinc-900 hover:no-underline">
          <Logo />
          minilab
        </Link>
        {user && (
          <>
            <Link href="/" className="text-sm font-medium text-zinc-700">
              Projects
            </Link>
            {/* Narrow screens: the home page has the same button. */}
            <Link
              href="/projects/new"
              className="hidden text-sm font-medium whitespace-nowrap text-zinc-700 sm:inline"
            >
              New project
            </Link>
          </>
        )}
        <div className="ml-auto flex items-center gap-3">
          <ThemeToggle />
          {user ? (
            <details className="relative">
              <summary
                className="flex cursor-pointer list-none items-center gap-2 rounded-md px-2 py-1 text-sm hover:bg-zinc-200"
                aria-label={`User menu for ${user.username}`}
                data-testid="user-menu"
              >
                <Avatar name={user.username} />
                <span className="hidden font-medium sm:inline">{user.username}</span>
              </summary>
              <div className="absolute right-0 z-10 mt-1 w-56 rounded-md border border-zinc-200 bg-white py-1 shadow-lg">
                <div className="border-b border-zinc-100 px-3 py-2 text-sm">
                  <div className="font-semibold">{user.name || user.username}</div>
                  <div className="muted">@{user.username}</div>
                </div>
                <Link
                  href="/-/user_settings/personal_access_tokens"
                  className="block px-3 py-2 text-sm text-zinc-800 hover:bg-zinc-100 hover:no-underline"
                >
                  Access tokens
                </Link>
                <form action={signOut}>
                  <button
                    type="submit"
                    className="block w-full cursor-pointer px-3 py-2 text-left text-sm text-zinc-800 hover:bg-zinc-100"
                  >
                    Sign out
                  </button>
                </form>
              </div>
            </details>
          ) : (
            <>
              <Link href="/users/sign_in" className="text-sm font-medium">
                Sign in
              </Link>
              <Link href="/users/sign_up" className="btn btn-primary">
                Register
              </Link>
            </>
          )}
        </div>
      </nav>
    </header>
  );
}

function Logo() {
  return (
    <svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true">
      <path d="M12 21 3 13.5 5.5 4l3 7h7l3-7 2.5 9.5z" fill="#fc6d26" />
      <path d="M12 21 8.5 11h7z" fill="#e24329" />
    </svg>
  );
}

export function Avatar({ name, size = 24 }: { name: string; size?: number }) {
  const hue = [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 360, 7);
  return (
    <span
      aria-hidden="true"
      className="inline-flex items-center justify-center rounded-full text-xs font-semibold text-white"
      style={{ width: size, height: size, background: `hsl(${hue} 45% 48%)` }}
    >
      {name.charAt(0).toUpperCase()}
    </span>
  );
}
