/** Runner heartbeat (see @minilab/contracts runner-api.ts, VerifyRunnerRequest). */
import { VerifyRunnerRequest } from "@minilab/contracts";
import { verifyRunner } from "@minilab/core";
import { getDb } from "@minilab/db";
import { handle, json, parseInput, readJson } from "../../../../../server/http.ts";

export const dynamic = "force-dynamic";

export async function POST(req: Request): Promise<Response> {
  return handle(async () => {
    const body = parseInput(VerifyRunnerRequest, await readJson(req));
    return json(await verifyRunner({ db: getDb(), token: body.token, info: body.info }));
  });
}
