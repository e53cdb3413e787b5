/**
 * GitLab's rules for CI/CD variable input. Keys: letters, digits and `_`, at most 255 characters.
 * Masked values: at least 8 characters on one line — shorter values would mask too much of an
 * ordinary log, and the runner masks line by line, so a multi-line value could leak in pieces.
 */
import { AppError } from "../errors.ts";

export const VARIABLE_KEY_PATTERN = /^[A-Za-z0-9_]{1,255}$/;
export const MASKED_MIN_LENGTH = 8;
/** Values are capped like GitLab's (10,000 characters). */
export const VARIABLE_VALUE_MAX = 10_000;

export interface VariableInput {
  key: string;
  value: string;
  masked: boolean;
  protected: boolean;
  raw?: boolean;
}

/** Field → message, empty when the input is valid. */
export function variableProblems(v: VariableInput): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!VARIABLE_KEY_PATTERN.test(v.key))
    problems["key"] = "Key may contain only letters, digits and '_' (1–255 characters).";
  if (v.value.length > VARIABLE_VALUE_MAX)
    problems["value"] = `Value is longer than ${VARIABLE_VALUE_MAX} characters.`;
  else if (v.masked && v.value.length < MASKED_MIN_LENGTH)
    problems["value"] = `A masked value must be at least ${MASKED_MIN_LENGTH} characters long.`;
  else if (v.masked && /[\r\n]/.test(v.value)) problems["value"] = "A masked value must be a single line.";
  return problems;
}

export function assertValidVariable(v: VariableInput): void {
  const problems = variableProblems(v);
  if (Object.keys(problems).length > 0)
    throw new AppError("invalid_input", Object.values(problems).join(" "), { fields: problems });
}
