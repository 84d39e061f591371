import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";

import {
  StackFileError,
  formatGithubOutput,
  listStacks,
  localOnlyStacks,
  main,
  parseArgs,
  parseSkipList,
  selectStacks,
  stackNameFromFileName,
  stackNameProblem,
  suggestStackName,
} from "../scripts/list-stacks";

describe("stackNameFromFileName", () => {
  const cases: [string, string | undefined][] = [
    ["Pulumi.dev.yaml", "dev"],
    ["Pulumi.acme-edge.yaml", "acme-edge"],
    ["Pulumi.yaml", undefined],
    ["Pulumi.yml", undefined],
    ["pulumi.dev.yaml", undefined],
    ["Pulumi.dev.yaml.bak", undefined],
    ["Pulumi..yaml", undefined],
    ["README.md", undefined],
  ];
  for (const [file, expected] of cases) {
    it(`reads ${JSON.stringify(expected)} from ${file}`, () => {
      assert.equal(stackNameFromFileName(file), expected);
    });
  }
});

describe("stackNameProblem", () => {
  for (const name of ["dev", "acme-edge", "site-42", "7"]) {
    it(`accepts ${name}`, () => {
      assert.equal(stackNameProblem(name), undefined);
    });
  }

  const rejected: [string, string][] = [
    ["Acme", "rename it, e.g. to Pulumi.acme.yaml"],
    ["acme_edge", "rename it, e.g. to Pulumi.acme-edge.yaml"],
    ["acme.edge", "rename it, e.g. to Pulumi.acme-edge.yaml"],
    ["-acme", "rename it, e.g. to Pulumi.acme.yaml"],
    ["acme-", "rename it, e.g. to Pulumi.acme.yaml"],
    ["acme--edge", "rename it, e.g. to Pulumi.acme-edge.yaml"],
    ["___", "rename the file"],
  ];
  for (const [name, fix] of rejected) {
    it(`rejects ${JSON.stringify(name)} and suggests how to fix it`, () => {
      assert.equal(
        stackNameProblem(name),
        `stack name ${JSON.stringify(name)} must be lowercase letters, digits and dashes, ` +
          `starting and ending with a letter or digit; ${fix}`,
      );
    });
  }

  it("suggests a valid name for any input that has a letter or digit", () => {
    assert.equal(suggestStackName("Acme Edge__Site.01"), "acme-edge-site-01");
  });
});

describe("listStacks", () => {
  it("returns the stack names sorted by code unit, whatever the input order", () => {
    const files = [
      "Pulumi.zulu.yaml",
      "Pulumi.acme-edge.yaml",
      "Pulumi.acme.yaml",
      "Pulumi.2nd.yaml",
    ];
    assert.deepEqual(listStacks(files), ["2nd", "acme", "acme-edge", "zulu"]);
    assert.deepEqual(listStacks([...files].reverse()), ["2nd", "acme", "acme-edge", "zulu"]);
  });

  it("ignores the project file and files that are not stack files", () => {
    const files = [
      "Pulumi.yaml",
      "package.json",
      "Pulumi.dev.yaml",
      "Pulumi.dev.yaml.orig",
      "index.ts",
    ];
    assert.deepEqual(listStacks(files), ["dev"]);
  });

  it("returns an empty list when there is no stack file", () => {
    assert.deepEqual(listStacks(["Pulumi.yaml", "README.md"]), []);
    assert.deepEqual(listStacks([]), []);
  });

  it("reports every unusable stack file at once, naming each file", () => {
    const files = ["Pulumi.dev.yaml", "Pulumi.Prod.yaml", "Pulumi.site_a.yaml", "Pulumi.edge.yml"];
    assert.throws(
      () => listStacks(files),
      (error: unknown) => {
        assert.ok(error instanceof StackFileError);
        assert.deepEqual(
          error.problems.map((problem) => problem.file),
          ["Pulumi.Prod.yaml", "Pulumi.edge.yml", "Pulumi.site_a.yaml"],
        );
        assert.equal(
          error.message,
          "Cannot list the stacks of this project:\n" +
            '  - Pulumi.Prod.yaml: stack name "Prod" must be lowercase letters, digits and dashes, ' +
            "starting and ending with a letter or digit; rename it, e.g. to Pulumi.prod.yaml\n" +
            "  - Pulumi.edge.yml: stack files end in .yaml, like Pulumi.yaml; rename it to Pulumi.edge.yaml\n" +
            '  - Pulumi.site_a.yaml: stack name "site_a" must be lowercase letters, digits and dashes, ' +
            "starting and ending with a letter or digit; rename it, e.g. to Pulumi.site-a.yaml",
        );
        return true;
      },
    );
  });
});

describe("selectStacks", () => {
  const stacks = ["acme", "acme-edge", "dev", "zulu"];

  it("returns every stack CI runs when no stack is asked for, leaving out the local dev stack", () => {
    assert.deepEqual(localOnlyStacks, ["dev"]);
    assert.deepEqual(selectStacks(stacks), ["acme", "acme-edge", "zulu"]);
  });

  it("leaves out the stacks in the skip list, ignoring names that have no stack file", () => {
    assert.deepEqual(selectStacks(stacks, { skip: ["acme-edge", "gone"] }), ["acme", "zulu"]);
  });

  it("returns only the stack asked for", () => {
    assert.deepEqual(selectStacks(stacks, { only: "zulu" }), ["zulu"]);
  });

  const refused: [string, string[], string][] = [
    [
      "prod",
      [],
      "No stack file Pulumi.prod.yaml is committed (known stacks: acme, acme-edge, dev, zulu). " +
        "Check the spelling, or commit the stack file first.",
    ],
    [
      "dev",
      [],
      "Stack dev cannot run in CI: dev is the local development stack (scripts/dev-up.sh), " +
        "which CI does not run.",
    ],
    ["acme", ["acme"], "Stack acme cannot run in CI: acme is in the skip list (--skip)."],
  ];
  for (const [only, skip, message] of refused) {
    it(`refuses ${only} with skip list ${JSON.stringify(skip)}, saying why`, () => {
      assert.throws(() => selectStacks(stacks, { only, skip }), { message });
    });
  }

  it("says there are no stacks when none is committed", () => {
    assert.throws(() => selectStacks([], { only: "prod" }), {
      message:
        "No stack file Pulumi.prod.yaml is committed (there are none). " +
        "Check the spelling, or commit the stack file first.",
    });
  });
});

describe("parseSkipList", () => {
  it("splits on spaces, commas and new lines", () => {
    assert.deepEqual(parseSkipList(" acme-edge, old-site\nlab "), ["acme-edge", "old-site", "lab"]);
    assert.deepEqual(parseSkipList(""), []);
  });
});

describe("parseArgs", () => {
  it("defaults to the current directory, all stacks and no skip list", () => {
    assert.deepEqual(parseArgs([]), { dir: ".", only: undefined, skip: [] });
  });

  it("reads --dir, --only and every --skip, which may be empty", () => {
    assert.deepEqual(
      parseArgs(["--only", "dev", "--skip", "", "--dir", "infra", "--skip", "a,b"]),
      {
        dir: "infra",
        only: "dev",
        skip: ["a", "b"],
      },
    );
  });

  const usage = 'usage: list-stacks [--dir DIR] [--only STACK] [--skip "STACK ..."]';
  const bad: [string[], string][] = [
    [["--stack", "dev"], `Unknown argument "--stack"; ${usage}`],
    [["--only"], `--only needs a value; ${usage}`],
    [["--only", ""], `--only needs a value; ${usage}`],
    [["--dir", "--only", "dev"], `--dir needs a value; ${usage}`],
    [["--skip"], `--skip needs a value; ${usage}`],
  ];
  for (const [args, message] of bad) {
    it(`rejects ${JSON.stringify(args)}`, () => {
      assert.throws(() => parseArgs(args), { message });
    });
  }
});

describe("formatGithubOutput", () => {
  it("writes the JSON list and its length as step outputs", () => {
    assert.equal(formatGithubOutput(["acme", "dev"]), 'stacks=["acme","dev"]\ncount=2\n');
    assert.equal(formatGithubOutput([]), "stacks=[]\ncount=0\n");
  });
});

describe("main", () => {
  function withProject(files: string[], run: (dir: string) => void): void {
    const dir = mkdtempSync(join(tmpdir(), "list-stacks-"));
    try {
      for (const file of files) {
        writeFileSync(join(dir, file), "config: {}\n");
      }
      run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  function captureConsole(run: () => number): { code: number; stdout: string; stderr: string } {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const { log, error } = console;
    console.log = (...parts: unknown[]) => stdout.push(parts.join(" "));
    console.error = (...parts: unknown[]) => stderr.push(parts.join(" "));
    try {
      return { code: run(), stdout: stdout.join("\n"), stderr: stderr.join("\n") };
    } finally {
      console.log = log;
      console.error = error;
    }
  }

  it("prints the stacks CI runs and appends them to $GITHUB_OUTPUT", () => {
    const files = [
      "Pulumi.yaml",
      "Pulumi.dev.yaml",
      "Pulumi.acme-edge.yaml",
      "Pulumi.lab.yaml",
      "Pulumi.zulu.yaml",
    ];
    withProject(files, (dir) => {
      // A directory named like a stack file is not a stack file.
      mkdirSync(join(dir, "Pulumi.backup.yaml"));
      const outputFile = join(dir, "github-output");
      writeFileSync(outputFile, "earlier=1\n");

      const result = captureConsole(() =>
        main(["--dir", dir, "--skip", "lab"], { GITHUB_OUTPUT: outputFile }),
      );

      assert.deepEqual(result, { code: 0, stdout: '["acme-edge","zulu"]', stderr: "" });
      assert.equal(
        readFileSync(outputFile, "utf8"),
        'earlier=1\nstacks=["acme-edge","zulu"]\ncount=2\n',
      );
    });
  });

  it("prints an empty list and says why when no stack is left for CI", () => {
    withProject(["Pulumi.yaml", "Pulumi.dev.yaml"], (dir) => {
      const result = captureConsole(() => main(["--dir", dir], {}));

      assert.deepEqual(result, {
        code: 0,
        stdout: "[]",
        stderr: `No stack for CI in ${dir}: there is nothing to preview, deploy or check.`,
      });
    });
  });

  it("fails with the problem and writes no output when a stack file is unusable", () => {
    withProject(["Pulumi.Dev.yaml"], (dir) => {
      const outputFile = join(dir, "github-output");
      writeFileSync(outputFile, "");

      const result = captureConsole(() => main(["--dir", dir], { GITHUB_OUTPUT: outputFile }));

      assert.equal(result.code, 1);
      assert.equal(result.stdout, "");
      assert.match(result.stderr, /Pulumi\.Dev\.yaml: stack name "Dev" must be lowercase/);
      assert.equal(readFileSync(outputFile, "utf8"), "");
    });
  });

  it("fails when the stack asked for has no stack file", () => {
    withProject(["Pulumi.acme.yaml"], (dir) => {
      const result = captureConsole(() => main(["--dir", dir, "--only", "prod"], {}));

      assert.equal(result.code, 1);
      assert.equal(
        result.stderr,
        "No stack file Pulumi.prod.yaml is committed (known stacks: acme). " +
          "Check the spelling, or commit the stack file first.",
      );
    });
  });
});
