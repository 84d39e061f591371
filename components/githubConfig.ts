// Validation of the optional `github` config block and of the `workflowSecrets` secret. Pure: it
// returns every problem instead of throwing, so the program's config parser can report them
// together with its own in one FleetConfigError.
import type { ConfigProblem } from "./configProblems";
import type { PackageOwnerType, PackageVisibilityLevel } from "./ghcrPackage";

import { describeReceived, formatPath } from "./configProblems";
import { imageProblems, splitImageName } from "./githubImage";
import { workflowSecretsProblems } from "./workflowSecretsConfig";

/** The `github` block once validated, with every default applied. */
export interface GithubConfig {
  /** Organisation or user that owns the repository and the package. */
  readonly owner: string;
  /** Whether `owner` is an organisation or a personal account (the package endpoints differ). */
  readonly ownerType: PackageOwnerType;
  /** Repository that holds the orchestrator's code, the build workflow and its secrets. */
  readonly repository: string;
  /** Container package (image) name on GHCR. */
  readonly packageName: string;
  /** The visibility the package must have; checked, never set (GitHub has no API for it). */
  readonly packageVisibility: PackageVisibilityLevel;
  /** Whether the program writes the build-and-push workflow into the repository. */
  readonly manageWorkflow: boolean;
  /** Where the workflow file lives in the repository. */
  readonly workflowPath: string;
  /** Branch whose pushes build the image, and that the workflow file is committed to. */
  readonly branch: string;
  /** Docker build context, relative to the repository root. */
  readonly buildContext: string;
  /** Dockerfile, relative to the repository root. */
  readonly dockerfile: string;
  /** Names of the Actions secrets in `workflowSecrets`; the values never enter this object. */
  readonly workflowSecretNames: readonly string[];
}

export const githubConfigDefaults = {
  ownerType: "org",
  packageName: "autonomy-orchestrator",
  packageVisibility: "public",
  manageWorkflow: true,
  workflowPath: ".github/workflows/autonomy-orchestrator-autoupdate.yml",
  branch: "main",
  buildContext: "autonomy/orchestrator",
} as const;

export interface GithubConfigInput {
  /** The raw `github` value from the stack config; `undefined` when the key is not set. */
  readonly github: unknown;
  /** The raw, plain `workflowSecrets` value, for validation only; `undefined` when not set. */
  readonly workflowSecrets?: unknown;
  /** Whether `workflowSecrets` is stored as a secret in the stack config. */
  readonly workflowSecretsIsSecret?: boolean;
  /**
   * The image the sites run, `ghcr.io/<owner>/<name>` with an optional tag, or just `<name>`.
   * When given, `packageName` defaults to its name and must agree with it, as must `owner`.
   */
  readonly imageName?: string;
}

export interface GithubConfigResult {
  /** The validated block; absent when `github` is not set or when there are problems. */
  readonly config?: GithubConfig;
  readonly problems: ConfigProblem[];
}

const allowedKeys = [
  "owner",
  "ownerType",
  "repository",
  "packageName",
  "packageVisibility",
  "manageWorkflow",
  "workflowPath",
  "branch",
  "buildContext",
  "dockerfile",
];

// GitHub's rules for logins and repository names, as its sign-up and new-repository forms state.
const loginPattern = /^[A-Za-z0-9](?:-?[A-Za-z0-9])*$/;
const repositoryPattern = /^[A-Za-z0-9._-]{1,100}$/;
// One path component of an image name, from the distribution spec's grammar.
// https://github.com/distribution/reference/blob/main/regexp.go
// TODO(#3): GHCR also takes nested names (`owner/team/image`), whose API endpoint needs the slash
// encoded; only single-segment names are accepted, which is all the seed publishes.
const imageNamePattern = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
// GitHub runs only files placed directly in .github/workflows.
const workflowPathPattern = /^\.github\/workflows\/[A-Za-z0-9._-]+\.ya?ml$/;
// Paths and branch names are written into the workflow's YAML and its `paths` glob, so they are
// held to characters that mean nothing special in either.
const safePathSegment = /^[A-Za-z0-9._-]+$/;

function isSafeRelativePath(path: string): boolean {
  const segments = path.split("/");
  return segments.every((s) => safePathSegment.test(s) && s !== "." && s !== "..");
}

function isSafeBranchName(branch: string): boolean {
  return /^[A-Za-z0-9._/-]+$/.test(branch) && !/^[-/.]|\/\/|\.\.|\/\.|[/.]$|\.lock$/.test(branch);
}

const relativePathRule =
  'a path relative to the repository root, of letters, digits, ".", "_", "-" and "/" ' +
  '(no "." or ".." segments)';

const rules = {
  owner: {
    test: (v: string) => v.length <= 39 && loginPattern.test(v),
    allowed:
      "a GitHub login: 1 to 39 letters, digits or single hyphens, not starting or ending with a hyphen",
  },
  repository: {
    test: (v: string) => repositoryPattern.test(v) && v !== "." && v !== "..",
    allowed:
      'a GitHub repository name: 1 to 100 letters, digits, ".", "-" or "_", ' +
      'other than "." and ".."',
  },
  packageName: {
    test: (v: string) => imageNamePattern.test(v),
    allowed: `a GHCR image name: lowercase letters and digits, joined by ".", "_", "__" or dashes`,
  },
  workflowPath: {
    test: (v: string) => workflowPathPattern.test(v),
    allowed: "a file directly in .github/workflows/ ending in .yml or .yaml (GitHub runs no other)",
  },
  branch: {
    test: isSafeBranchName,
    allowed:
      'a branch name of letters, digits, ".", "_", "-" and "/" (no "..", "//" or "/.", not ' +
      'starting with "-", "/" or ".", not ending with "/", "." or ".lock")',
  },
  buildContext: {
    test: (v: string) => v === "." || isSafeRelativePath(v),
    allowed: `"." or ${relativePathRule}`,
  },
  dockerfile: {
    test: isSafeRelativePath,
    allowed: relativePathRule,
  },
};

function oneOf<T extends string>(allowed: readonly T[], value: unknown): value is T {
  return typeof value === "string" && (allowed as readonly string[]).includes(value);
}

/**
 * Validates the `github` block and `workflowSecrets`. Returns every problem found; `config` is set
 * only when the block is present and valid.
 */
export function parseGithubConfig(input: GithubConfigInput): GithubConfigResult {
  const problems: ConfigProblem[] = [];
  const secrets = workflowSecretsProblems(input.workflowSecrets, input.workflowSecretsIsSecret);
  problems.push(...secrets.problems);

  if (input.github === undefined) {
    if (input.workflowSecrets !== undefined) {
      problems.push({
        path: "workflowSecrets",
        message:
          "is set, but there is no `github` block naming the repository that gets these Actions " +
          "secrets; add `github.owner` and `github.repository`, or remove workflowSecrets",
      });
    }
    return { problems };
  }
  const raw = input.github;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    problems.push({
      path: "github",
      message: `must be an object with at least \`owner\` and \`repository\`; received ${describeReceived(raw)}`,
    });
    return { problems };
  }
  const block = raw as Record<string, unknown>;

  for (const key of Object.keys(block).filter((k) => !allowedKeys.includes(k))) {
    problems.push({
      path: formatPath(["github", key]),
      message: `is not a known key (allowed: ${allowedKeys.join(", ")}); remove it or fix its spelling`,
    });
  }

  function text(key: keyof typeof rules, fallback?: string): string {
    // A fallback is checked too: one derived from imageName may break the rules.
    const value = block[key] ?? fallback;
    const path = `github.${key}`;
    if (value === undefined) {
      problems.push({ path, message: `is required (${rules[key].allowed}); received nothing` });
    } else if (typeof value !== "string") {
      problems.push({ path, message: `must be a string; received ${describeReceived(value)}` });
    } else if (!rules[key].test(value)) {
      problems.push({
        path,
        message: `must be ${rules[key].allowed}; received ${describeReceived(value)}`,
      });
    } else {
      return value;
    }
    return "";
  }

  function choice<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const value = block[key] ?? fallback;
    if (!oneOf(allowed, value)) {
      const names = allowed.map((a) => `"${a}"`);
      const list = `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
      problems.push({
        path: `github.${key}`,
        message: `must be ${list}; received ${describeReceived(value)}`,
      });
      return fallback;
    }
    return value;
  }

  // Checked in the order the docs list the keys, so problems read in that order too.
  const owner = text("owner");
  const ownerType = choice("ownerType", ["org", "user"], githubConfigDefaults.ownerType);
  const repository = text("repository");
  const imageName = input.imageName === undefined ? undefined : splitImageName(input.imageName);
  const packageName = text("packageName", imageName?.name ?? githubConfigDefaults.packageName);
  const packageVisibility = choice(
    "packageVisibility",
    ["public", "private", "internal"],
    githubConfigDefaults.packageVisibility,
  );
  if (block.packageVisibility === "internal" && block.ownerType === "user") {
    problems.push({
      path: "github.packageVisibility",
      message:
        'must be "public" or "private" when github.ownerType is "user": "internal" exists only ' +
        'for packages of an organisation on GitHub Enterprise Cloud; received "internal"',
    });
  }
  const manageWorkflow = block.manageWorkflow ?? githubConfigDefaults.manageWorkflow;
  if (typeof manageWorkflow !== "boolean") {
    problems.push({
      path: "github.manageWorkflow",
      message: `must be true or false; received ${describeReceived(manageWorkflow)}`,
    });
  }
  const workflowPath = text("workflowPath", githubConfigDefaults.workflowPath);
  const branch = text("branch", githubConfigDefaults.branch);
  const buildContext = text("buildContext", githubConfigDefaults.buildContext);
  const dockerfile = text(
    "dockerfile",
    // An invalid context is reported already; do not derive a second problem from it.
    buildContext === "." || buildContext === "" ? "Dockerfile" : `${buildContext}/Dockerfile`,
  );

  if (input.imageName !== undefined) {
    problems.push(...imageProblems(input.imageName, owner, block.packageName));
  }

  if (problems.length > 0) {
    return { problems };
  }
  return {
    problems,
    config: {
      owner,
      ownerType,
      repository,
      packageName,
      packageVisibility,
      manageWorkflow: manageWorkflow as boolean,
      workflowPath,
      branch,
      buildContext,
      dockerfile,
      workflowSecretNames: secrets.names,
    },
  };
}
