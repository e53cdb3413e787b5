import { issueRegistryToken } from "@minilab/core";
import { getDb } from "@minilab/db";
import { basicCredentials } from "../../../server/basic-auth.ts";
import { handle, json } from "../../../server/http.ts";

export const dynamic = "force-dynamic";

/**
 * The container registry's token endpoint (`realm` of the `/v2/` challenge): HTTP Basic with a
 * username and password or personal access token (`gitlab-ci-token` + job token in CI), or no
 * credentials for anonymous pulls; `scope=repository:<path>:pull,push` (repeatable).
 */
export function GET(req: Request): Promise<Response> {
  return handle(async () => {
    const scopes = new URL(req.url).searchParams.getAll("scope");
    const token = await issueRegistryToken({
      db: getDb(),
      credentials: basicCredentials(req.headers.get("authorization")),
      scopes,
    });
    return json(token);
  });
}
