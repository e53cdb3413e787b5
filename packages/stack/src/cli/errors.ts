/** A CLI usage or lookup error: printed as one line on stderr, exit status 1. */
export class CliError extends Error {}
