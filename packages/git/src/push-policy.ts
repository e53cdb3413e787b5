/**
 * Branch protection as the pre-receive hook enforces it. The web layer (core) computes a
 * {@link PushPolicy} for the pusher, receive-pack passes it to the hook in MINILAB_PUSH_POLICY, and
 * the hook applies {@link refuseRefUpdate} to every ref update of the push. pre-receive is
 * all-or-nothing (as in GitLab): one refused update refuses the whole push, so nothing is applied
 * and no event is recorded.
 */

/** One protected-branch rule, as stored by core (`*` in the pattern matches any characters). */
export interface PushPolicyRule {
  pattern: string;
  /** Minimum access level allowed to push; 0 = no one. */
  pushAccessLevel: number;
  allowForcePush: boolean;
}

export interface PushPolicy {
  /** The pusher's access level in the project (GitLab levels: 30 developer, 40 maintainer, …). */
  level: number;
  rules: PushPolicyRule[];
}

export interface PolicyRefUpdate {
  ref: string;
  oldSha: string;
  newSha: string;
}

/** GitLab's wording, so users (and their scripts) recognise the refusals. */
export const PROTECTED_PUSH_MESSAGE =
  "You are not allowed to push code to protected branches on this project.";
export const PROTECTED_FORCE_PUSH_MESSAGE =
  "You are not allowed to force push code to a protected branch on this project.";
export const PROTECTED_DELETE_MESSAGE = "You can only delete protected branches using the web interface.";

/** Whether a protected-branch pattern (`*` = any characters, including '/') matches `branch`. */
export function matchesBranchPattern(pattern: string, branch: string): boolean {
  const re = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${re}$`).test(branch);
}

/**
 * The refusal message for one ref update, or null when it is allowed. `isForce` is asked only when
 * it matters (an existing protected branch moved by someone allowed to push), because it costs a
 * `git merge-base` call. Tags and other refs are not protected here.
 *
 * SELF-CONTAINED ON PURPOSE: the hook embeds this function's source (`refuseRefUpdate.toString()`),
 * so it must not reference anything outside its own body. Messages are therefore literals, kept
 * equal to the exported constants by a test.
 */
export function refuseRefUpdate(
  policy: PushPolicy,
  update: PolicyRefUpdate,
  isForce: () => boolean,
): string | null {
  const m = /^refs\/heads\/(.+)$/.exec(update.ref);
  if (!m) return null;
  const branch = m[1] ?? "";
  const matching = policy.rules.filter((r) => {
    const re = r.pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
    return new RegExp(`^${re}$`).test(branch);
  });
  if (matching.length === 0) return null;
  const zero = /^0+$/;
  if (zero.test(update.newSha)) return "You can only delete protected branches using the web interface.";
  // Several rules may match: pushing is allowed if any of them allows it, force-pushing only if all do.
  if (!matching.some((r) => r.pushAccessLevel > 0 && policy.level >= r.pushAccessLevel)) {
    return "You are not allowed to push code to protected branches on this project.";
  }
  if (!zero.test(update.oldSha) && !matching.every((r) => r.allowForcePush) && isForce()) {
    return "You are not allowed to force push code to a protected branch on this project.";
  }
  return null;
}
