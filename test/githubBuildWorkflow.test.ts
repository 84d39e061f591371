import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { parse } from "yaml";

import type { GithubConfig } from "../components/githubConfig";

import {
  BuildWorkflow,
  buildWorkflowTemplatePath,
  renderBuildWorkflow,
} from "../components/buildWorkflow";
import { parseGithubConfig } from "../components/githubConfig";
import { actionlint } from "./actionlint";
import { resourceNamed, settle, setupMocks } from "./mocks";

function configFor(github: Record<string, unknown>): GithubConfig {
  const { config, problems } = parseGithubConfig({ github });
  assert.deepEqual(problems, []);
  return config!;
}

const acme = configFor({ owner: "Acme", repository: "autonomy" });

// The parts of a workflow these tests read; `on` is a plain key once YAML is parsed.
interface Workflow {
  on: { push: { branches: string[]; paths: string[] }; workflow_dispatch: null };
  permissions: Record<string, string>;
  jobs: Record<
    string,
    {
      if: string;
      steps: {
        name: string;
        uses?: string;
        with?: Record<string, unknown>;
        env?: Record<string, string>;
        run?: string;
      }[];
    }
  >;
}

function stepsOf(yamlText: string) {
  return (parse(yamlText) as Workflow).jobs["build-and-push"].steps;
}

describe("renderBuildWorkflow", () => {
  const rendered = renderBuildWorkflow(acme);
  const workflow = parse(rendered) as Workflow;
  const build = stepsOf(rendered).find((step) =>
    step.uses?.startsWith("docker/build-push-action@"),
  );

  it("runs on pushes to the branch that touch the orchestrator, and by hand", () => {
    assert.deepEqual(workflow.on.push.branches, ["main"]);
    assert.deepEqual(workflow.on.push.paths, [
      "autonomy/orchestrator/**",
      "autonomy/orchestrator/Dockerfile",
      ".github/workflows/autonomy-orchestrator-autoupdate.yml",
    ]);
    assert.ok("workflow_dispatch" in workflow.on);
    assert.equal(workflow.jobs["build-and-push"].if, "github.ref == 'refs/heads/main'");
  });

  it("asks only to read the code and write packages", () => {
    assert.deepEqual(workflow.permissions, { contents: "read", packages: "write" });
  });

  it("pushes autonomy-latest and autonomy-<sha> under the lower-cased owner", () => {
    assert.equal(
      build?.with?.tags,
      "ghcr.io/acme/autonomy-orchestrator:autonomy-latest\n" +
        "ghcr.io/acme/autonomy-orchestrator:autonomy-${{ github.sha }}\n",
    );
    assert.equal(build?.with?.push, true);
    assert.equal(build?.with?.context, "autonomy/orchestrator");
    assert.equal(build?.with?.file, "autonomy/orchestrator/Dockerfile");
  });

  it("labels the image with its source repository so the package links to it", () => {
    assert.match(
      String(build?.with?.labels),
      /^org\.opencontainers\.image\.source=https:\/\/github\.com\/Acme\/autonomy$/m,
    );
  });

  it("pins every action to a full commit SHA with its version beside it", () => {
    const uses = stepsOf(rendered).flatMap((step) => (step.uses === undefined ? [] : [step.uses]));
    assert.equal(uses.length, 4);
    for (const use of uses) {
      assert.match(use, /^[a-z-]+\/[a-z-]+@[0-9a-f]{40}$/);
      assert.match(rendered, new RegExp(`${use} # v\\d+\\.\\d+\\.\\d+\\n`));
    }
  });

  it("checks an anonymous pull with the settings URL when the package is declared public", () => {
    const check = stepsOf(rendered).at(-1);
    assert.equal(check?.name, "Check that sites can pull the image without credentials");
    assert.deepEqual(check?.env, {
      TOKEN_URL: "https://ghcr.io/token?scope=repository:acme/autonomy-orchestrator:pull",
      SETTINGS_URL:
        "https://github.com/orgs/Acme/packages/container/autonomy-orchestrator/settings",
    });
  });

  // Runs the step's script as the runner does (bash -e), with a curl stand-in that answers `code`.
  function runPullCheck(code: string) {
    const check = stepsOf(rendered).at(-1)!;
    const bin = mkdtempSync(join(tmpdir(), "fake-curl-"));
    try {
      writeFileSync(join(bin, "curl"), `#!/bin/sh\nprintf '%s' '${code}'\n`);
      chmodSync(join(bin, "curl"), 0o755);
      return spawnSync("bash", ["-e", "-c", String(check.run)], {
        env: { ...check.env, PATH: `${bin}:${process.env.PATH}` },
        encoding: "utf8",
      });
    } finally {
      rmSync(bin, { recursive: true });
    }
  }

  it("lets the run pass when ghcr.io grants an anonymous pull", () => {
    const result = runPullCheck("200");
    assert.equal(result.status, 0);
    assert.equal(result.stdout, "Anonymous pulls work: the package is public.\n");
  });

  it("fails the run with the settings URL when ghcr.io refuses an anonymous pull", () => {
    for (const code of ["401", "403"]) {
      const result = runPullCheck(code);
      assert.equal(result.status, 1);
      assert.equal(
        result.stdout,
        `::error title=The GHCR package is not public::ghcr.io answered ${code} to an anonymous ` +
          "pull, so sites without registry credentials cannot update. Make the package public " +
          "at https://github.com/orgs/Acme/packages/container/autonomy-orchestrator/settings " +
          "(Danger Zone > Change visibility); no API can.\n",
      );
    }
  });

  it("leaves the anonymous-pull check out for a private package", () => {
    const privateWorkflow = renderBuildWorkflow({ ...acme, packageVisibility: "private" });
    assert.equal(stepsOf(privateWorkflow).at(-1)?.uses?.split("@")[0], "docker/build-push-action");
    assert.ok(!privateWorkflow.includes("ghcr.io/token"));
    assert.ok(!privateWorkflow.includes("anonymous-pull-check"));
  });

  it("follows a custom branch, build context and user-owned package", () => {
    const custom = configFor({
      owner: "Jane-Doe",
      ownerType: "user",
      repository: "bots",
      branch: "release/v2",
      buildContext: "services/orchestrator",
      workflowPath: ".github/workflows/image.yml",
    });
    const text = renderBuildWorkflow(custom);
    const parsed = parse(text) as Workflow;
    assert.deepEqual(parsed.on.push.branches, ["release/v2"]);
    assert.deepEqual(parsed.on.push.paths, [
      "services/orchestrator/**",
      "services/orchestrator/Dockerfile",
      ".github/workflows/image.yml",
    ]);
    assert.equal(
      stepsOf(text).at(-1)?.env?.SETTINGS_URL,
      "https://github.com/users/Jane-Doe/packages/container/autonomy-orchestrator/settings",
    );
  });

  it("passes actionlint with no problem, whether public or private", async () => {
    assert.deepEqual(await actionlint(rendered, acme.workflowPath), []);
    const privateWorkflow = renderBuildWorkflow({ ...acme, packageVisibility: "private" });
    assert.deepEqual(await actionlint(privateWorkflow, acme.workflowPath), []);
  });

  it("would fail actionlint if the template broke an expression", async () => {
    const broken = rendered.replace("autonomy-${{ github.sha }}", "autonomy-${{ github.shaa }}");
    const problems = await actionlint(broken, acme.workflowPath);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].kind, "expression");
    assert.match(problems[0].message, /^property "shaa" is not defined in object type/);
  });

  it("refuses a value that could break out of its YAML scalar", () => {
    assert.throws(() => renderBuildWorkflow({ ...acme, branch: 'main"\n  evil: true' }), {
      message: `renderBuildWorkflow: __BRANCH__ would be ${JSON.stringify('main"\n  evil: true')}`,
    });
  });

  it("refuses a template with a placeholder it does not know", () => {
    const template = readFileSync(buildWorkflowTemplatePath, "utf8") + "# __UNKNOWN__\n";
    assert.throws(
      () => renderBuildWorkflow(acme, template),
      /the template uses __UNKNOWN__, which nothing fills/,
    );
  });
});

describe("BuildWorkflow", () => {
  beforeEach(() => setupMocks());
  afterEach(settle);

  it("commits the rendered workflow to the branch, adopting a file already there", async () => {
    const workflow = new BuildWorkflow("gh-workflow", { config: acme });
    await settle();
    const file = resourceNamed("gh-workflow-file");
    assert.equal(file.type, "github:index/repositoryFile:RepositoryFile");
    assert.deepEqual(file.inputs, {
      repository: "autonomy",
      branch: "main",
      file: ".github/workflows/autonomy-orchestrator-autoupdate.yml",
      content: renderBuildWorkflow(acme),
      commitMessage: "Update the autonomy orchestrator build workflow (managed by Pulumi)",
      overwriteOnCreate: true,
    });
    assert.equal(file.parent, resourceNamed("gh-workflow").urn);
    assert.equal(workflow.path, ".github/workflows/autonomy-orchestrator-autoupdate.yml");
  });
});
