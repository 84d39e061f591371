// Lists the stacks (sites) of this project from the committed `Pulumi.<stack>.yaml` files, so the
// preview, deploy and drift workflows build their job matrix from the repository itself: a new
// site needs one stack file and no workflow edit.
//
// Usage: npx tsx scripts/list-stacks.ts [--dir DIR] [--only STACK] [--skip "STACK ..."]
// Prints a JSON array of the stacks CI runs on stdout. Inside GitHub Actions it also appends
// `stacks=<json>` and `count=<n>` to $GITHUB_OUTPUT.
import { appendFileSync, readdirSync } from "node:fs";
import { resolve } from "node:path";

/** `Pulumi.<stack>.yaml`; the project file `Pulumi.yaml` has no middle part and does not match. */
const stackFilePattern = /^Pulumi\.(.+)\.yaml$/;

/** A stack config file with the extension Pulumi does not read beside `Pulumi.yaml`. */
const misnamedStackFilePattern = /^Pulumi\.(.+)\.yml$/;

/**
 * Lowercase letters, digits and single dashes inside. The name becomes a GitHub Environment, a
 * concurrency group and a drift issue title, so it is kept to characters that are safe in all of
 * them, in URLs and in shell words.
 */
const stackNamePattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Stacks CI never runs. `dev` keeps its state in `.pulumi-state/` on a developer's machine and
 * deploys to that machine's Docker engine (scripts/dev-up.sh): CI has neither its state nor its
 * host, and a runner's own engine is no site.
 */
export const localOnlyStacks: readonly string[] = ["dev"];

/** One stack file that cannot be used, named so the operator can fix it. */
export interface StackFileProblem {
  readonly file: string;
  readonly message: string;
}

/** Thrown when any stack file is unusable; `problems` lists every one of them. */
export class StackFileError extends Error {
  readonly problems: readonly StackFileProblem[];

  constructor(problems: readonly StackFileProblem[]) {
    const lines = problems.map((problem) => `  - ${problem.file}: ${problem.message}`);
    super(`Cannot list the stacks of this project:\n${lines.join("\n")}`);
    this.name = "StackFileError";
    this.problems = problems;
  }
}

/** The stack name of a `Pulumi.<stack>.yaml` file name, or undefined for any other file. */
export function stackNameFromFileName(fileName: string): string | undefined {
  return stackFilePattern.exec(fileName)?.[1];
}

/** What is wrong with a stack name and how to fix it, or undefined when it is valid. */
export function stackNameProblem(name: string): string | undefined {
  if (stackNamePattern.test(name)) {
    return undefined;
  }
  const suggestion = suggestStackName(name);
  const fix =
    suggestion === "" ? "rename the file" : `rename it, e.g. to Pulumi.${suggestion}.yaml`;
  return (
    `stack name ${JSON.stringify(name)} must be lowercase letters, digits and dashes, ` +
    `starting and ending with a letter or digit; ${fix}`
  );
}

/** A valid stack name close to `name`: lowercased, other characters turned into single dashes. */
export function suggestStackName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * The sorted stack names found among `fileNames` (names only, no directories). Files that are not
 * stack files are ignored; a stack file with an invalid name, or a `Pulumi.<stack>.yml`, is an
 * error, and every such file is reported at once. No stack file at all is not an error: a fresh
 * checkout has none yet, and the workflows skip their per-stack jobs when the list is empty.
 */
export function listStacks(fileNames: readonly string[]): string[] {
  const problems: StackFileProblem[] = [];
  const stacks: string[] = [];
  for (const file of fileNames) {
    const misnamed = misnamedStackFilePattern.exec(file);
    if (misnamed !== null) {
      problems.push({
        file,
        message: `stack files end in .yaml, like Pulumi.yaml; rename it to Pulumi.${misnamed[1]}.yaml`,
      });
      continue;
    }
    const name = stackNameFromFileName(file);
    if (name === undefined) {
      continue;
    }
    const problem = stackNameProblem(name);
    if (problem !== undefined) {
      problems.push({ file, message: problem });
      continue;
    }
    stacks.push(name);
  }
  if (problems.length > 0) {
    problems.sort((a, b) => compareCodeUnits(a.file, b.file));
    throw new StackFileError(problems);
  }

  // Code-unit order, not localeCompare: the matrix must not depend on the runner's locale.
  return stacks.sort(compareCodeUnits);
}

/**
 * The stacks CI runs: `stacks` less the local-only ones and those in `skip`, or just `[only]`
 * when that is one of them. Asking for a stack that has no stack file, or that CI does not run,
 * is an error that says which.
 */
export function selectStacks(
  stacks: readonly string[],
  options: { readonly only?: string; readonly skip?: readonly string[] } = {},
): string[] {
  const skip = options.skip ?? [];
  const skipReason = (stack: string): string | undefined => {
    if (localOnlyStacks.includes(stack)) {
      return `${stack} is the local development stack (scripts/dev-up.sh), which CI does not run`;
    }
    return skip.includes(stack) ? `${stack} is in the skip list (--skip)` : undefined;
  };
  const selected = stacks.filter((stack) => skipReason(stack) === undefined);
  const only = options.only;
  if (only === undefined) {
    return selected;
  }
  if (!stacks.includes(only)) {
    const known = stacks.length === 0 ? "there are none" : `known stacks: ${stacks.join(", ")}`;
    throw new Error(
      `No stack file Pulumi.${only}.yaml is committed (${known}). ` +
        "Check the spelling, or commit the stack file first.",
    );
  }
  const reason = skipReason(only);
  if (reason !== undefined) {
    throw new Error(`Stack ${only} cannot run in CI: ${reason}.`);
  }
  return [only];
}

/** The stack names in a `--skip` value: separated by spaces, commas or new lines. */
export function parseSkipList(value: string): string[] {
  return value.split(/[\s,]+/).filter((name) => name !== "");
}

/** The lines appended to $GITHUB_OUTPUT: the JSON list for `fromJSON` and its length. */
export function formatGithubOutput(stacks: readonly string[]): string {
  return `stacks=${JSON.stringify(stacks)}\ncount=${stacks.length}\n`;
}

/** Parsed command line. */
export interface ListStacksOptions {
  readonly dir: string;
  readonly only?: string;
  readonly skip: readonly string[];
}

const usage = 'usage: list-stacks [--dir DIR] [--only STACK] [--skip "STACK ..."]';

/**
 * Parses `--dir DIR`, `--only STACK` and `--skip LIST`; unknown or incomplete arguments are
 * errors. `--skip` may be empty (an unset repository variable) and may be given more than once.
 */
export function parseArgs(args: readonly string[]): ListStacksOptions {
  let dir = ".";
  let only: string | undefined;
  const skip: string[] = [];
  for (let index = 0; index < args.length; index += 2) {
    const flag = args[index];
    const value = args[index + 1];
    if (flag !== "--dir" && flag !== "--only" && flag !== "--skip") {
      throw new Error(`Unknown argument ${JSON.stringify(flag)}; ${usage}`);
    }
    const missing = value === undefined || value.startsWith("--");
    if (missing || (value === "" && flag !== "--skip")) {
      throw new Error(`${flag} needs a value; ${usage}`);
    }
    if (flag === "--dir") {
      dir = value;
    } else if (flag === "--only") {
      only = value;
    } else {
      skip.push(...parseSkipList(value));
    }
  }
  return { dir, only, skip };
}

/** The names of the regular files directly in `dir`. */
function readFileNames(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name);
}

function compareCodeUnits(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}

/** Runs the command; returns the process exit code. */
export function main(args: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  try {
    const options = parseArgs(args);
    const dir = resolve(options.dir);
    const stacks = selectStacks(listStacks(readFileNames(dir)), options);
    if (stacks.length === 0) {
      console.error(`No stack for CI in ${dir}: there is nothing to preview, deploy or check.`);
    }
    console.log(JSON.stringify(stacks));
    const githubOutput = env.GITHUB_OUTPUT ?? "";
    if (githubOutput !== "") {
      appendFileSync(githubOutput, formatGithubOutput(stacks));
    }
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
