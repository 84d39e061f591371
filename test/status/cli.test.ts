import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";

import { main } from "../../status/cli";
import { makeProjectDir } from "../fixtures";

async function run(
  argv: string[],
  cwd = "/",
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    isTty: false,
    env: {},
    cwd,
  });
  return { code, stdout, stderr };
}

test("--help prints the usage and exits 0", async () => {
  const result = await run(["--help"]);

  assert.equal(result.code, 0);
  assert.match(result.stdout, /^Usage: npm run status -- --stack <name> \[options\]$/m);
  assert.match(result.stdout, /FLEET_STATUS_REGISTRY_TOKEN/);
});

test("bad arguments exit 2 with the reason and the usage", async () => {
  const cases: [string[], string][] = [
    [[], "status: --stack <name> is required"],
    [
      ["--stack", "dev", "--timeout", "0"],
      'status: --timeout must be a number of seconds above 0; received "0"',
    ],
    [["--stack", "dev", "--colour"], "status: Unknown option '--colour'"],
  ];
  for (const [argv, message] of cases) {
    const result = await run(argv);
    assert.equal(result.code, 2, argv.join(" "));
    assert.equal(
      result.stderr.split("\n")[0].startsWith(message),
      true,
      `${argv.join(" ")}: ${result.stderr}`,
    );
  }
});

test("a stack without a file names the stacks that exist", async () => {
  const projectDir = makeProjectDir("acme-edge");
  fs.writeFileSync(path.join(projectDir, "Pulumi.acme-edge.yaml"), "config: {}\n");

  const result = await run(["--stack", "prod", "--project-dir", projectDir]);

  assert.equal(result.code, 2);
  assert.equal(
    result.stderr,
    `status: no stack file ${projectDir}/Pulumi.prod.yaml (stacks there: acme-edge); pass --project-dir for another project\n`,
  );
});

test("a stack the program would reject is rejected with the program's message", async () => {
  const projectDir = makeProjectDir("acme-edge");
  fs.writeFileSync(
    path.join(projectDir, "Pulumi.acme-edge.yaml"),
    [
      "config:",
      "  orchestrator-fleet:site: acme-edge",
      "  orchestrator-fleet:image: { owner: acme }",
      "  orchestrator-fleet:hosts:",
      "    - { name: edge-1, ssh: { host: edge-1.example.internal, user: deploy, port: 70000, useAgent: true } }",
      "",
    ].join("\n"),
  );

  const result = await run(["--stack", "acme-edge"], projectDir);

  assert.equal(result.code, 2);
  assert.match(
    result.stderr,
    /^status: Invalid stack config for orchestrator-fleet \(1 problem\):\n {2}- hosts\[0\]\.ssh\.port: /,
  );
});

test("the shipped stacks pass the schema the status reads them with", async () => {
  // Their hosts may not answer here (ssh to example.internal without an agent, or no local
  // engine) and the registry is a closed port: only that the report was made is asserted.
  for (const stack of ["dev", "acme-edge"]) {
    const result = await run(
      ["--stack", stack, "--json", "--timeout", "2", "--registry-url", "http://127.0.0.1:9"],
      path.join(__dirname, "..", ".."),
    );
    assert.equal(result.stderr, "", stack);
    assert.equal(JSON.parse(result.stdout).stack, stack);
  }
});
