export {
  variableProblems,
  assertValidVariable,
  VARIABLE_KEY_PATTERN,
  MASKED_MIN_LENGTH,
  type VariableInput,
} from "./validate-variable.ts";
export { listProjectVariables, type ListProjectVariablesOptions } from "./list-project-variables.ts";
export { createProjectVariable, type CreateProjectVariableOptions } from "./create-project-variable.ts";
export { updateProjectVariable, type UpdateProjectVariableOptions } from "./update-project-variable.ts";
export { deleteProjectVariable, type DeleteProjectVariableOptions } from "./delete-project-variable.ts";
export {
  variablesForJob,
  isProtectedRef,
  refIsProtected,
  type StoredProjectVariable,
} from "./project-variables-for-job.ts";
