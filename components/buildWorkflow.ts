// The build-and-push workflow, committed into the repository as code. Rendering is a pure function
// of the validated `github` block, so tests can lint exactly what Pulumi would commit.
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";

import { readFileSync } from "node:fs";
import { join } from "node:path";

import type { GithubConfig } from "./githubConfig";

import { ghcrRepository, packageSettingsUrl } from "./ghcrPackage";

/** The parts of the `github` block the workflow depends on. */
export type BuildWorkflowOptions = Pick<
  GithubConfig,
  | "owner"
  | "ownerType"
  | "repository"
  | "packageName"
  | "packageVisibility"
  | "branch"
  | "workflowPath"
  | "buildContext"
  | "dockerfile"
>;

export const buildWorkflowTemplatePath = join(
  __dirname,
  "..",
  "templates",
  "autonomy-orchestrator-autoupdate.yml",
);

// The template marks the anonymous-pull step with these comment lines; it is kept only when the
// package is declared public, since a private package fails that check by design.
const checkStart = "# >>> anonymous-pull-check";
const checkEnd = "# <<< anonymous-pull-check";
// Every substituted value lands in YAML scalars, a glob and a shell string; validation already
// limits config values to these characters, and this re-check keeps a caller from bypassing it.
const plainValue = /^[A-Za-z0-9._/:*-]+$/;

function withoutMarkedBlock(template: string, keep: boolean): string {
  const lines = template.split("\n");
  const start = lines.findIndex((line) => line.trim() === checkStart);
  const end = lines.findIndex((line) => line.trim() === checkEnd);
  if (start === -1 || end < start) {
    throw new Error(
      `${buildWorkflowTemplatePath} lacks the "${checkStart}" ... "${checkEnd}" lines`,
    );
  }
  const block = keep ? lines.slice(start + 1, end) : [];
  const before = lines.slice(0, start);
  if (!keep) {
    // Drop the blank line that separated the removed step from the one before it.
    while (before.length > 0 && before[before.length - 1].trim() === "") {
      before.pop();
    }
  }
  return [...before, ...block, ...lines.slice(end + 1)].join("\n");
}

/** Renders the workflow file's content for one `github` block. */
export function renderBuildWorkflow(
  options: BuildWorkflowOptions,
  template = readFileSync(buildWorkflowTemplatePath, "utf8"),
): string {
  const values: Record<string, string> = {
    __BRANCH__: options.branch,
    __CONTEXT__: options.buildContext,
    __CONTEXT_GLOB__: options.buildContext === "." ? "**" : `${options.buildContext}/**`,
    __DOCKERFILE__: options.dockerfile,
    __WORKFLOW_PATH__: options.workflowPath,
    __IMAGE__: ghcrRepository(options.owner, options.packageName),
    __IMAGE_PATH__: `${options.owner.toLowerCase()}/${options.packageName}`,
    __SOURCE_URL__: `https://github.com/${options.owner}/${options.repository}`,
    __SETTINGS_URL__: packageSettingsUrl(options.ownerType, options.owner, options.packageName),
  };
  let rendered = withoutMarkedBlock(template, options.packageVisibility === "public");
  for (const [placeholder, value] of Object.entries(values)) {
    if (!plainValue.test(value)) {
      throw new Error(`renderBuildWorkflow: ${placeholder} would be ${JSON.stringify(value)}`);
    }
    rendered = rendered.split(placeholder).join(value);
  }
  const leftover = /__[A-Z_]+__/.exec(rendered);
  if (leftover !== null) {
    throw new Error(`renderBuildWorkflow: the template uses ${leftover[0]}, which nothing fills`);
  }
  return rendered;
}

export interface BuildWorkflowArgs {
  /** The validated `github` block; the file goes to `repository` at `workflowPath` on `branch`. */
  readonly config: BuildWorkflowOptions;
  /**
   * Message of the commits that create, update or delete the file.
   * @default "Update the autonomy orchestrator build workflow (managed by Pulumi)"
   */
  readonly commitMessage?: string;
}

/** Commits the build-and-push workflow into the repository and keeps it as rendered. */
export class BuildWorkflow extends pulumi.ComponentResource {
  /** The file's path in the repository. */
  readonly path: string;
  /** The commit that last wrote the file. */
  readonly commitSha: pulumi.Output<string>;

  constructor(name: string, args: BuildWorkflowArgs, opts?: pulumi.ComponentResourceOptions) {
    super("orchestrator-fleet:github:BuildWorkflow", name, {}, opts);
    this.path = args.config.workflowPath;

    // overwriteOnCreate adopts a workflow committed by hand (the seed already has one) instead of
    // failing because the path is taken.
    const file = new github.RepositoryFile(
      `${name}-file`,
      {
        repository: args.config.repository,
        branch: args.config.branch,
        file: args.config.workflowPath,
        content: renderBuildWorkflow(args.config),
        commitMessage:
          args.commitMessage ??
          "Update the autonomy orchestrator build workflow (managed by Pulumi)",
        overwriteOnCreate: true,
      },
      { parent: this },
    );
    this.commitSha = file.commitSha;

    this.registerOutputs({ path: this.path, commitSha: this.commitSha });
  }
}
