// How invalid stack config is reported: every problem at once, each with its key path, what is
// allowed and what was received, in one error thrown before any resource is declared.
import * as pulumi from "@pulumi/pulumi";

/** One thing wrong with the stack config. */
export interface ConfigProblem {
  /** Key path below the project namespace, e.g. `hosts[1].ssh.port`. */
  readonly path: string;
  /** What is allowed and what was received, e.g. `must be an integer from 1 to 65535; received 70000`. */
  readonly message: string;
}

/**
 * Thrown when the stack config is invalid; `problems` lists every problem found. A RunError, so
 * `pulumi up` prints the message alone instead of a stack trace.
 */
export class FleetConfigError extends pulumi.RunError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[], source = "stack config") {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    const lines = problems.map((problem) => `  - ${problem.path}: ${problem.message}`);
    super(
      `Invalid ${source} for orchestrator-fleet (${count}):\n${lines.join("\n")}\n` +
        "Fix these keys with `pulumi config set` or in Pulumi.<stack>.yaml; the README's " +
        "config reference lists every key.",
    );
    this.problems = problems;
  }
}

/** Renders a received value for an error message, short and on one line. */
export function describeReceived(value: unknown): string {
  if (value === undefined) {
    return "nothing";
  }
  if (typeof value === "string") {
    const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
    return JSON.stringify(shown);
  }
  if (Array.isArray(value)) {
    return `a list of ${value.length}`;
  }
  if (value !== null && typeof value === "object") {
    return "an object";
  }
  return String(value);
}

/** Joins a path of keys and indexes the way the docs write them: `hosts[1].ssh.port`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let path = "";
  for (const segment of segments) {
    if (typeof segment === "number") {
      path += `[${segment}]`;
    } else {
      path += path === "" ? String(segment) : `.${String(segment)}`;
    }
  }
  return path;
}
