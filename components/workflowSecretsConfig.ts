// Validation of the `workflowSecrets` config value: `{ NAME: value }` pairs that become GitHub
// Actions secrets. Its values are credentials, so no message here ever shows one: only names,
// types and sizes.
import type { ConfigProblem } from "./configProblems";

import { describeReceived, formatPath } from "./configProblems";

/**
 * GitHub's limit for one secret's value.
 * https://docs.github.com/en/actions/security-for-github-actions/security-guides/using-secrets-in-github-actions#limits-for-secrets
 */
export const maxSecretBytes = 48 * 1024;

/** Describes a value by its kind only, so a secret never reaches an error message or a log. */
function describeKind(value: unknown): string {
  if (value === null) {
    return "null";
  }
  if (Array.isArray(value)) {
    return "a list";
  }
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/**
 * Why `name` is not a valid Actions secret name, or undefined when it is. GitHub's rules: letters,
 * digits and underscores only; not starting with a digit; not starting with `GITHUB_` in any case.
 * https://docs.github.com/en/actions/security-for-github-actions/security-guides/using-secrets-in-github-actions#naming-your-secrets
 */
export function secretNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z0-9_]+$/.test(name)) {
    return "may contain only letters, digits and underscores";
  }
  if (/^[0-9]/.test(name)) {
    return "must not start with a digit";
  }
  if (/^GITHUB_/i.test(name)) {
    return "must not start with GITHUB_ (GitHub reserves that prefix)";
  }
  return undefined;
}

export interface WorkflowSecretsCheck {
  /** Names of the entries, whether valid or not; empty when the value is not an object. */
  readonly names: string[];
  readonly problems: ConfigProblem[];
}

/** Checks the raw (plain) `workflowSecrets` value; `isSecret` says how the stack stores it. */
export function workflowSecretsProblems(raw: unknown, isSecret = false): WorkflowSecretsCheck {
  if (raw === undefined) {
    return { names: [], problems: [] };
  }
  const problems: ConfigProblem[] = [];
  if (!isSecret) {
    problems.push({
      path: "workflowSecrets",
      message:
        "must be stored as a secret, because its values are credentials; received a plain " +
        "value. Remove it (`pulumi config rm workflowSecrets`) and set each entry with " +
        "`pulumi config set --secret --path 'workflowSecrets.NAME' VALUE`",
    });
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    problems.push({
      path: "workflowSecrets",
      message: `must be an object of NAME: value pairs; received ${describeKind(raw)}`,
    });
    return { names: [], problems };
  }

  const entries = Object.entries(raw as Record<string, unknown>);
  const seen = new Map<string, string>();
  for (const [name, value] of entries) {
    const path = formatPath(["workflowSecrets", name]);
    const nameProblem = secretNameProblem(name);
    const sameName = seen.get(name.toUpperCase());
    if (nameProblem !== undefined) {
      problems.push({ path, message: `${nameProblem}; received ${describeReceived(name)}` });
    } else if (sameName !== undefined) {
      problems.push({
        path,
        message: `names the same secret as ${sameName} (GitHub secret names ignore letter case); keep one of them`,
      });
    }
    seen.set(name.toUpperCase(), name);

    if (typeof value !== "string") {
      problems.push({ path, message: `must be a string; received ${describeKind(value)}` });
    } else if (value === "") {
      problems.push({ path, message: "must not be empty; received an empty string" });
    } else if (Buffer.byteLength(value, "utf8") > maxSecretBytes) {
      const bytes = Buffer.byteLength(value, "utf8");
      problems.push({
        path,
        message: `must be at most 48 KB (${maxSecretBytes} bytes, GitHub's limit); received a string of ${bytes} bytes`,
      });
    }
  }
  return { names: entries.map(([name]) => name), problems };
}
