// The whole program as index.ts runs it: config from the engine, validated, then declared.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

import { parseFleetConfig } from "../components/config";
import { declareProgram } from "../components/program";
import { readPulumiConfig } from "../components/pulumiConfig";
import { readStackFile } from "../components/stackFile";
import { listStacks } from "../scripts/list-stacks";
import type * as IndexModule from "../index";
import { makeProjectDir, validValues } from "./fixtures";
import { onInvoke, promiseOf, recorded, resourcesOfType, settle, setupMocks } from "./mocks";

const repoRoot = path.resolve(__dirname, "..");

function packageIsPublic(): void {
  onInvoke("github:index/getRestApi:getRestApi", (inputs) => ({
    id: "package",
    endpoint: inputs.endpoint,
    code: 200,
    status: "200 OK",
    headers: {},
    body: JSON.stringify({ name: "autonomy-orchestrator", visibility: "public" }),
  }));
}

describe("the program", () => {
  it("exactly one committed stack declares the GitHub side", () => {
    const declaresGithub = (stack: string) =>
      parseFleetConfig(readStackFile(path.join(repoRoot, `Pulumi.${stack}.yaml`), repoRoot)).github;
    assert.deepEqual(listStacks(fs.readdirSync(repoRoot)).filter(declaresGithub), ["github"]);
  });

  it("declares only the GitHub side for a stack without hosts", async () => {
    const projectDir = makeProjectDir();
    await setupMocks({
      config: {
        site: "github",
        image: { owner: "acme" },
        github: { owner: "acme", repository: "autonomy" },
        workflowSecrets: { REGISTRY_MIRROR_TOKEN: "s3cret" },
      },
      secretKeys: ["workflowSecrets"],
    });
    packageIsPublic();
    const program = declareProgram(readPulumiConfig(projectDir));
    assert.deepEqual(await promiseOf(program.site.hosts), {});
    assert.equal(await promiseOf(program.github!.packageVisibility), "public");
    await settle();
    assert.deepEqual(resourcesOfType("docker:index/container:Container"), []);
    const [secret] = resourcesOfType("github:index/actionsSecret:ActionsSecret");
    assert.equal(secret.inputs.secretName, "REGISTRY_MIRROR_TOKEN");
    assert.equal(secret.inputs.value, "s3cret");
    assert.ok(secret.secretInputs.includes("value"));
    assert.equal(resourcesOfType("github:index/repositoryFile:RepositoryFile").length, 1);
  });

  it("declares hosts and no GitHub resource for a site stack", async () => {
    await setupMocks({ config: validValues() });
    const program = declareProgram(readPulumiConfig(makeProjectDir()));
    await promiseOf(program.site.hosts);
    await settle();
    assert.equal(program.github, undefined);
    assert.deepEqual(
      recorded.resources.filter((resource) => resource.type.startsWith("github:")),
      [],
    );
    assert.equal(resourcesOfType("docker:index/container:Container").length, 2);
  });

  it("fails before declaring anything when the config is invalid", async () => {
    await setupMocks({ config: { ...validValues(), watchtower: { intervalSeconds: 1 } } });
    assert.throws(
      () => declareProgram(readPulumiConfig(makeProjectDir())),
      /watchtower\.intervalSeconds: must be an integer from 10 to 604800; received 1/,
    );
    await settle();
    assert.deepEqual(recorded.resources, []);
  });
});

describe("index.ts", () => {
  it("evaluates the dev stack from its committed stack file and exports each host's outputs", async () => {
    const stack = readStackFile(path.join(repoRoot, "Pulumi.dev.yaml"), repoRoot);
    await setupMocks({ config: { ...stack.values }, stack: "dev" });
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the entry point, as Pulumi loads it
    const program = require("../index") as typeof IndexModule;
    assert.equal(program.siteName, "dev");
    assert.deepEqual(await promiseOf(program.hosts), {
      local: {
        orchestratorUrl: "http://localhost:8082",
        containerNames: {
          orchestrator: "vtuber_orchestrator",
          watchtower: "watchtower_orchestrator",
        },
        imageReference: "ghcr.io/acme/autonomy-orchestrator:autonomy-latest",
        autoUpdate: true,
      },
    });
    assert.equal(program.packageVisibility, undefined);
    await settle();
    const [orchestrator] = resourcesOfType("docker:index/container:Container").filter(
      (resource) => resource.inputs.name === "vtuber_orchestrator",
    );
    assert.equal(orchestrator.inputs.mounts[0].source, path.join(repoRoot, "config", "dev"));
    assert.deepEqual(orchestrator.inputs.envs, [
      "PYTHONUNBUFFERED=1",
      "LOG_LEVEL=DEBUG",
      "OLLAMA_HOST=http://vtuber-ollama:11434",
      "API_REGISTRY_PATH=/config/api_registry.yaml",
    ]);
  });
});
