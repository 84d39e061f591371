import * as pulumi from "@pulumi/pulumi";

import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it, mock } from "node:test";

import type { GithubConfig } from "../components/githubConfig";

import { parseGithubConfig } from "../components/githubConfig";
import { GithubSide } from "../components/githubSide";
import { WorkflowSecrets } from "../components/workflowSecrets";
import {
  onInvoke,
  promiseOf,
  recorded,
  resourceNamed,
  resourcesOfType,
  settle,
  setupMocks,
} from "./mocks";

const actionsSecret = "github:index/actionsSecret:ActionsSecret";
const repositoryFile = "github:index/repositoryFile:RepositoryFile";
const image = "ghcr.io/acme/autonomy-orchestrator:autonomy-latest";

function configFor(github: Record<string, unknown>, secretNames: string[] = []): GithubConfig {
  const { config, problems } = parseGithubConfig({
    github,
    workflowSecrets:
      secretNames.length === 0 ? undefined : Object.fromEntries(secretNames.map((n) => [n, "x"])),
    workflowSecretsIsSecret: true,
  });
  assert.deepEqual(problems, []);
  return config!;
}

function packageIs(visibility: string): void {
  onInvoke("github:index/getRestApi:getRestApi", (inputs) => ({
    id: "request-1",
    endpoint: inputs.endpoint,
    code: 200,
    status: "200 OK",
    headers: "{}",
    body: JSON.stringify({ visibility }),
  }));
}

describe("WorkflowSecrets", () => {
  beforeEach(() => setupMocks());
  afterEach(settle);

  it("declares one ActionsSecret per entry, whose value input is a secret", async () => {
    new WorkflowSecrets("ci", {
      repository: "autonomy",
      secrets: { SENTRY_DSN: "https://key@sentry.example/1", NPM_TOKEN: pulumi.output("npm_abc") },
    });
    await settle();
    const secrets = resourcesOfType(actionsSecret);
    assert.deepEqual(
      secrets.map((s) => [s.name, s.inputs.secretName, s.inputs.repository, s.inputs.value]),
      [
        ["ci-sentry-dsn", "SENTRY_DSN", "autonomy", "https://key@sentry.example/1"],
        ["ci-npm-token", "NPM_TOKEN", "autonomy", "npm_abc"],
      ],
    );
    for (const secret of secrets) {
      assert.deepEqual(secret.secretInputs, ["value"]);
      assert.ok(!("plaintextValue" in secret.inputs));
      assert.equal(secret.deleteBeforeReplace, true);
      assert.equal(secret.parent, resourceNamed("ci").urn);
    }
  });
});

describe("GithubSide", () => {
  beforeEach(async () => {
    await setupMocks();
    mock.method(pulumi.log, "warn", async () => undefined);
  });

  afterEach(async () => {
    mock.restoreAll();
    await settle();
  });

  it("declares the visibility check, the secrets and the workflow through a provider for the owner", async () => {
    packageIs("public");
    const config = configFor({ owner: "Acme", repository: "autonomy" }, ["SENTRY_DSN"]);
    const side = new GithubSide("gh", {
      config,
      imageName: image,
      workflowSecrets: pulumi.secret<Record<string, string>>({
        SENTRY_DSN: "https://key@sentry.example/1",
      }),
    });

    assert.equal(await promiseOf(side.packageVisibility), "public");
    assert.equal(await promiseOf(side.packageStatus), "matches");
    assert.equal(await promiseOf(side.sitesNeedRegistryCredentials), false);
    assert.equal(side.imageRepository, "ghcr.io/acme/autonomy-orchestrator");
    assert.equal(
      side.packageSettingsUrl,
      "https://github.com/orgs/Acme/packages/container/autonomy-orchestrator/settings",
    );
    assert.deepEqual(side.workflowSecretNames, ["SENTRY_DSN"]);
    assert.equal(side.workflowPath, ".github/workflows/autonomy-orchestrator-autoupdate.yml");
    await settle();

    const provider = resourceNamed("gh-provider");
    assert.equal(provider.type, "pulumi:providers:github");
    assert.equal(provider.inputs.owner, "Acme");
    const providerRef = `${provider.urn}::gh-provider-id`;
    assert.equal(recorded.invokes[0].provider, providerRef);

    const secret = resourceNamed("gh-secrets-sentry-dsn");
    assert.equal(secret.type, actionsSecret);
    assert.deepEqual(secret.secretInputs, ["value"]);
    assert.equal(secret.inputs.value, "https://key@sentry.example/1");
    assert.equal(secret.provider, providerRef);

    const file = resourceNamed("gh-workflow-file");
    assert.equal(file.type, repositoryFile);
    assert.equal(file.provider, providerRef);
    assert.deepEqual(
      ["gh-package", "gh-secrets", "gh-workflow"].map((name) => resourceNamed(name).parent),
      Array(3).fill(resourceNamed("gh").urn),
    );
  });

  it("writes no workflow file when manageWorkflow is false", async () => {
    packageIs("public");
    const side = new GithubSide("gh", {
      config: configFor({ owner: "acme", repository: "autonomy", manageWorkflow: false }),
      imageName: image,
    });
    await promiseOf(side.packageStatus);
    await settle();
    assert.deepEqual(resourcesOfType(repositoryFile), []);
    assert.equal(side.workflowPath, undefined);
  });

  it("declares no secrets when there are none", async () => {
    packageIs("public");
    new GithubSide("gh", {
      config: configFor({ owner: "acme", repository: "autonomy" }),
      imageName: image,
    });
    await settle();
    assert.deepEqual(resourcesOfType(actionsSecret), []);
    assert.deepEqual(resourcesOfType("orchestrator-fleet:github:WorkflowSecrets"), []);
  });

  it("says site stacks need registry credentials for a private package", async () => {
    packageIs("private");
    const side = new GithubSide("gh", {
      config: configFor({ owner: "acme", repository: "autonomy", packageVisibility: "private" }),
      imageName: image,
    });
    assert.equal(await promiseOf(side.sitesNeedRegistryCredentials), true);
    assert.match(
      await promiseOf(side.registryCredentials),
      /^every site stack needs registryUser and registryToken/,
    );
  });

  it("refuses an image that is not the package the workflow pushes", () => {
    assert.throws(
      () =>
        new GithubSide("gh", {
          config: configFor({ owner: "acme", repository: "autonomy" }),
          imageName: "ghcr.io/acme/other:autonomy-latest",
        }),
      (error: Error) => {
        assert.ok(error instanceof pulumi.ResourceError);
        assert.equal(
          error.message,
          'The github block does not match the image the sites run: github.packageName must be "other", ' +
            "the name of the image the sites run (ghcr.io/acme/other:autonomy-latest), or be left out; " +
            'received "autonomy-orchestrator". Pass parseGithubConfig the same imageName to report ' +
            "this with the other config problems.",
        );
        return true;
      },
    );
  });

  it("refuses secret names without their values", () => {
    assert.throws(
      () =>
        new GithubSide("gh", {
          config: configFor({ owner: "acme", repository: "autonomy" }, ["SENTRY_DSN"]),
          imageName: image,
        }),
      (error: Error) => {
        assert.ok(error instanceof pulumi.ResourceError);
        assert.equal(
          error.message,
          "config.workflowSecretNames lists SENTRY_DSN, but no workflowSecrets values were " +
            "passed; pass the workflowSecrets config secret",
        );
        return true;
      },
    );
  });
});
