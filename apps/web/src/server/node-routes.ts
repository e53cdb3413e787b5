/**
 * Requests answered straight from Node's HTTP server, before Next's router sees them. Next's
 * per-request machinery (routing, AsyncLocalStorage contexts, the app-route adapter, web streams)
 * costs milliseconds of CPU per request; for the many small machine-to-machine requests of the
 * container registry (`/v2/…`, registry/node-server.ts) and the runner API (claim, finish, trace:
 * runner-api-node.ts) that was most of the web process's work.
 *
 * One wrapper of `http.Server.prototype.emit`, installed once per process from instrumentation.ts:
 * a `request` event is offered to the registered routes in order; the first whose `match` accepts
 * it serves it, everything else goes to Next untouched. Each such API keeps its Next route as a
 * fallback with identical behaviour (and for requests a matcher declines, e.g. unusual paths).
 */
import { Server, type IncomingMessage, type ServerResponse } from "node:http";

export interface NodeRoute {
  /** For logs and de-duplication: registering a name twice keeps the first. */
  name: string;
  /** Whether this route serves the request; must be cheap (it runs for every request). */
  match(req: IncomingMessage): boolean;
  /** Answers the request; must answer every error itself (a rejection destroys the socket). */
  serve(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

const routes: NodeRoute[] = [];
let installed = false;

/** Adds a route (once per name) and installs the emit wrapper if it is not yet. */
export function registerNodeRoute(route: NodeRoute): void {
  if (!routes.some((r) => r.name === route.name)) routes.push(route);
  if (installed) return;
  installed = true;
  // Always invoked with .apply(this) below, so the unbound reference is intended.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const emit = Server.prototype.emit;
  Server.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request") {
      const req = args[0] as IncomingMessage;
      for (const route of routes) {
        if (!route.match(req)) continue;
        const res = args[1] as ServerResponse;
        route.serve(req, res).catch(() => res.destroy());
        return true;
      }
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof emit;
}

/** Reads a request header as the Fetch API's `Headers.get` would (several values joined). */
export function nodeHeader(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name.toLowerCase()];
  return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
}
