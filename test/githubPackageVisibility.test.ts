import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";

import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it, mock } from "node:test";

import type { PackageVisibilityArgs } from "../components/packageVisibility";

import { judgePackageResponse, PackageVisibility } from "../components/packageVisibility";
import { onInvoke, promiseOf, recorded, settle, setupMocks } from "./mocks";
import { programErrorsDuring } from "./programErrors";

const getRestApi = "github:index/getRestApi:getRestApi";
const orgSettings =
  "https://github.com/orgs/acme/packages/container/autonomy-orchestrator/settings";
const acmePackage: PackageVisibilityArgs = {
  owner: "acme",
  packageName: "autonomy-orchestrator",
  visibility: "public",
};

/** Makes the mocked GitHub API answer the package GET with this status and body. */
function githubAnswers(code: number, status: string, body: string): void {
  onInvoke(getRestApi, (inputs) => ({
    id: "request-1",
    endpoint: inputs.endpoint,
    code,
    status,
    headers: "{}",
    body,
  }));
}

const byHand =
  "GitHub has no API that changes a package's visibility (a PATCH answers 404, cli/cli#6820), " +
  `so an owner of acme must change it by hand at ${orgSettings} ` +
  "(Danger Zone > Change visibility), then run pulumi up again.";

const mismatchToPrivate = [
  "The GHCR package ghcr.io/acme/autonomy-orchestrator is public, " +
    'but github.packageVisibility declares "private".',
  byHand,
  "GitHub may not allow making a public package private again: its docs said for years that " +
    "this cannot be undone (the sentence was dropped in 2024, github/docs#32339). If the Danger " +
    "Zone offers no way back, push the image under a new package name, and treat every image " +
    "already pulled while it was public as published.",
  'If public is what you want, set github.packageVisibility to "public".',
].join("\n");

const mismatchToPublic = [
  "The GHCR package ghcr.io/acme/autonomy-orchestrator is private, " +
    'but github.packageVisibility declares "public".',
  byHand,
  "Once public, anyone can pull the image, and GitHub may not let it go back. If the package " +
    'is meant to stay private, set github.packageVisibility to "private" and give every site ' +
    "stack registryUser and registryToken.",
].join("\n");

describe("PackageVisibility", () => {
  let warnings: { message: string; resource: unknown }[];

  beforeEach(async () => {
    await setupMocks();
    warnings = [];
    mock.method(pulumi.log, "warn", async (message: string, resource?: pulumi.Resource) => {
      warnings.push({ message, resource });
    });
  });

  afterEach(async () => {
    mock.restoreAll();
    // A registration still in flight would otherwise reach the next test's fresh mock monitor.
    await settle();
  });

  it("records the visibility when GitHub reports the declared one", async () => {
    githubAnswers(
      200,
      "200 OK",
      JSON.stringify({ name: "autonomy-orchestrator", visibility: "public" }),
    );
    const errors = await programErrorsDuring(async () => {
      const pkg = new PackageVisibility("pkg", acmePackage);
      assert.equal(await promiseOf(pkg.visibility), "public");
      assert.equal(await promiseOf(pkg.status), "matches");
      assert.equal(await promiseOf(pkg.sitesNeedRegistryCredentials), false);
      assert.equal(
        await promiseOf(pkg.registryCredentials),
        "none: the package is public, so sites pull it anonymously",
      );
      assert.equal(pkg.settingsUrl, orgSettings);
    });
    assert.deepEqual(errors, []);
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      recorded.invokes.map((invoke) => [invoke.token, invoke.inputs.endpoint]),
      [[getRestApi, "orgs/acme/packages/container/autonomy-orchestrator"]],
    );
  });

  it("reads a user's package from the users endpoint and says private needs registry credentials", async () => {
    githubAnswers(200, "200 OK", JSON.stringify({ visibility: "private" }));
    const pkg = new PackageVisibility("pkg", {
      ...acmePackage,
      owner: "Jane-Doe",
      ownerType: "user",
      visibility: "private",
    });
    assert.equal(await promiseOf(pkg.visibility), "private");
    assert.equal(await promiseOf(pkg.sitesNeedRegistryCredentials), true);
    assert.equal(
      await promiseOf(pkg.registryCredentials),
      "every site stack needs registryUser and registryToken (a personal access token (classic) " +
        "with read:packages), because the package is private",
    );
    assert.equal(
      pkg.settingsUrl,
      "https://github.com/users/Jane-Doe/packages/container/autonomy-orchestrator/settings",
    );
    assert.equal(
      recorded.invokes[0].inputs.endpoint,
      "users/Jane-Doe/packages/container/autonomy-orchestrator",
    );
  });

  it("sends the read through the provider given to the component", async () => {
    githubAnswers(200, "200 OK", JSON.stringify({ visibility: "public" }));
    const provider = new github.Provider("acme-github", { owner: "acme" });
    const pkg = new PackageVisibility("pkg", acmePackage, { providers: [provider] });
    await promiseOf(pkg.visibility);
    const providerUrn = await promiseOf(provider.urn);
    assert.equal(recorded.invokes[0].provider, `${providerUrn}::acme-github-id`);
  });

  const failures = [
    {
      behaviour: "fails when the package is private but declared public",
      declared: "public" as const,
      answer: [200, "200 OK", JSON.stringify({ visibility: "private" })] as const,
      message: mismatchToPublic,
    },
    {
      behaviour:
        "fails, warning that it may be one-way, when the package is public but declared private",
      declared: "private" as const,
      answer: [200, "200 OK", JSON.stringify({ visibility: "public" })] as const,
      message: mismatchToPrivate,
    },
    {
      behaviour: "fails with the status and the body when GitHub answers 500",
      declared: "public" as const,
      answer: [500, "500 Internal Server Error", '{"message":"Server Error"}'] as const,
      message:
        "Reading the GHCR package ghcr.io/acme/autonomy-orchestrator failed: GET " +
        "orgs/acme/packages/container/autonomy-orchestrator answered 500 Internal Server Error, " +
        'which this program does not expect. Body: {"message":"Server Error"}\n' +
        "Check that the GitHub provider's token has the read:packages scope and that acme owns " +
        "the package, then run pulumi up again.",
    },
    {
      behaviour: "fails when a 200 answer names no visibility",
      declared: "public" as const,
      answer: [200, "200 OK", "<html>maintenance</html>"] as const,
      message:
        "Reading the GHCR package ghcr.io/acme/autonomy-orchestrator failed: GET " +
        "orgs/acme/packages/container/autonomy-orchestrator answered 200 OK, which names no " +
        'visibility ("public", "private" or "internal"). Body: <html>maintenance</html>\n' +
        "Check that the GitHub provider's token has the read:packages scope and that acme owns " +
        "the package, then run pulumi up again.",
    },
  ];

  for (const { behaviour, declared, answer, message } of failures) {
    it(behaviour, async () => {
      githubAnswers(answer[0], answer[1], answer[2]);
      let pkg: PackageVisibility | undefined;
      const errors = await programErrorsDuring(async () => {
        pkg = new PackageVisibility("pkg", { ...acmePackage, visibility: declared });
        await assert.rejects(promiseOf(pkg.visibility), pulumi.ResourceError);
      });

      // The runtime prefixes the property it was serialising when the error reached it.
      assert.equal(errors.length, 1);
      const error = errors[0] as pulumi.ResourceError;
      assert.ok(error instanceof pulumi.ResourceError);
      assert.equal(error.resource, pkg);
      assert.ok(error.message.endsWith(message), `unexpected message:\n${error.message}`);
      const verdict = judgePackageResponse(
        { code: answer[0], status: answer[1], body: answer[2] },
        { ...acmePackage, visibility: declared },
      );
      assert.deepEqual(verdict, { outcome: "failed", message });
      assert.deepEqual(warnings, []);
    });
  }

  it("warns and passes when the package does not exist yet", async () => {
    githubAnswers(404, "404 Not Found", '{"message":"Package not found."}');
    let pkg: PackageVisibility | undefined;
    const errors = await programErrorsDuring(async () => {
      pkg = new PackageVisibility("pkg", acmePackage);
      assert.equal(await promiseOf(pkg.status), "not-published");
      assert.equal(await promiseOf(pkg.visibility), undefined);
      assert.equal(await promiseOf(pkg.sitesNeedRegistryCredentials), false);
      assert.equal(
        await promiseOf(pkg.registryCredentials),
        "none: the package is declared public, so sites pull it anonymously",
      );
    });
    assert.deepEqual(errors, []);
    assert.deepEqual(warnings, [
      {
        resource: pkg,
        message:
          "The GHCR package ghcr.io/acme/autonomy-orchestrator does not exist yet (GET " +
          "orgs/acme/packages/container/autonomy-orchestrator answered 404), so its visibility " +
          "is not checked: the build workflow's first push creates it. New packages start " +
          "private unless the organisation's package creation default says otherwise, so after " +
          `the first push make it public at ${orgSettings} (Danger Zone > Change visibility) ` +
          "and run pulumi up again. If images were pushed already, the 404 means the GitHub " +
          "provider's token cannot see the package: it needs the read:packages scope.",
      },
    ]);
  });

  it("says site stacks need registry credentials when an unpublished package is declared private", async () => {
    githubAnswers(404, "404 Not Found", "{}");
    const pkg = new PackageVisibility("pkg", { ...acmePackage, visibility: "private" });
    assert.equal(await promiseOf(pkg.sitesNeedRegistryCredentials), true);
    assert.equal(
      await promiseOf(pkg.registryCredentials),
      "every site stack needs registryUser and registryToken (a personal access token (classic) " +
        "with read:packages), because the package is declared private",
    );
    assert.match(
      warnings[0].message,
      /After the first push, run pulumi up again to check its visibility\./,
    );
  });
});
