// The drift check's refresh leaves out what Watchtower replaces. Its --exclude patterns match the
// program's resource names, so this test evaluates the real program under the shared mocks and
// checks that the patterns select exactly the containers Watchtower may update, and their images.
import { parse } from "yaml";

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

import { watchtowerEnableLabel } from "../components/labels";
import { declareProgram } from "../components/program";
import { readPulumiConfig } from "../components/pulumiConfig";
import { makeProjectDir, validValues } from "./fixtures";
import type { RecordedResource } from "./mocks";
import { promiseOf, recorded, settle, setupMocks } from "./mocks";

const containerType = "docker:index/container:Container";
const remoteImageType = "docker:index/remoteImage:RemoteImage";

const drift = parse(
  readFileSync(join(__dirname, "..", ".github", "workflows", "drift.yml"), "utf8"),
) as {
  jobs: { drift: { steps: { id?: string; run?: string }[] } };
};
const checkScript = drift.jobs.drift.steps.find((step) => step.id === "check")?.run ?? "";
const excludePatterns = [...checkScript.matchAll(/--exclude '([^']+)'/g)].map((match) => match[1]);

/**
 * Pulumi's URN pattern rule for --target and --exclude: `**` matches anything, `*` anything but
 * a colon, and the pattern must match the whole URN (`UrnTargets` in pulumi/pulumi's
 * pkg/resource/deploy).
 */
function urnPattern(glob: string): RegExp {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const source = glob
    .split("**")
    .map((part) => part.split("*").map(escape).join("[^:]*"))
    .join(".*");
  return new RegExp(`^${source}$`);
}

function isExcluded(resource: RecordedResource): boolean {
  return excludePatterns.some((glob) => urnPattern(glob).test(resource.urn));
}

function watchtowerManaged(container: RecordedResource): boolean {
  const labels = container.inputs.labels as { label: string; value: string }[] | undefined;
  return (labels ?? []).some((l) => l.label === watchtowerEnableLabel && l.value === "true");
}

describe("the drift check's --exclude patterns", () => {
  it("follow Pulumi's pattern rule", () => {
    assert.ok(urnPattern("urn:pulumi:*::*::**T::*-x").test("urn:pulumi:s::p::a$b$T::h-1-x"));
    assert.ok(!urnPattern("urn:pulumi:*::*::**T::*-x").test("urn:pulumi:s::p::T::h-1-x-image"));
    assert.ok(!urnPattern("urn:pulumi:*::*::**T::*-x").test("urn:pulumi:s:t::p::T::h-x"));
  });

  it("leave out exactly the containers Watchtower updates and their images, on every host", async () => {
    const projectDir = makeProjectDir();
    const values = {
      ...validValues(),
      hosts: [
        { name: "edge-1" },
        { name: "edge-2", ssh: { host: "edge-2.lan", user: "deploy", useAgent: true } },
      ],
      ollama: { enabled: true },
    };
    await setupMocks({ config: values, stack: "acme-edge" });
    const program = declareProgram(readPulumiConfig(projectDir));
    await promiseOf(program.site.hosts);
    await settle();

    const managed = recorded.resources.filter(
      (resource) => resource.type === containerType && watchtowerManaged(resource),
    );
    const managedImages = new Set(managed.map((container) => container.inputs.image as string));
    const expected = recorded.resources.filter(
      (resource) =>
        managed.includes(resource) ||
        (resource.type === remoteImageType && managedImages.has(resource.inputs.name as string)),
    );

    assert.equal(excludePatterns.length, 2);
    assert.equal(managed.length, 2, "one orchestrator on each of the two hosts");
    assert.equal(expected.length, 4);
    assert.deepEqual(
      recorded.resources.filter(isExcluded).map((resource) => resource.urn),
      expected.map((resource) => resource.urn),
    );
    // Watchtower itself and Ollama stay in the comparison: nothing replaces them behind Pulumi.
    assert.ok(
      recorded.resources.filter((r) => r.type === containerType && !isExcluded(r)).length >= 4,
    );
  });
});
