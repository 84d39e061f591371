// The before-create hook the program binds to its containers, run for real against the engine
// in the situation it exists for: Watchtower has replaced a container under the same name.
import assert from "node:assert/strict";

import { fleetHostLabel, fleetSiteLabel } from "../../components/labels";
import { staleContainerHook } from "../../components/staleContainerHook";
import { setupMocks } from "../mocks";
import { engineTest, isGone, runId, testImages } from "./engine";
import type { TestScope } from "./engine";

const owner = { site: `fleet-hook-${runId}`, host: "edge-1" };
const ownLabels = { [fleetSiteLabel]: owner.site, [fleetHostLabel]: owner.host };

/** What Watchtower does on an update: remove the container, create one of the same name. */
async function replaceLikeWatchtower(scope: TestScope, name: string) {
  const old = scope.docker.getContainer(name);
  const inspected = await old.inspect();
  await old.remove({ force: true });
  return scope.run({ name, Image: inspected.Config.Image, Labels: inspected.Config.Labels });
}

async function hookFor(socketPath = "/var/run/docker.sock") {
  // Constructing a ResourceHook registers it with the engine; the mocks stand in for it.
  await setupMocks();
  return staleContainerHook("edge-1-clear-stale-container", { owner, socketPath });
}

function hookArgs(name: string) {
  return {
    urn: `urn:pulumi:test::orchestrator-fleet::docker:index/container:Container::${name}`,
    id: "",
    name,
    type: "",
    newInputs: { name },
  };
}

engineTest(
  "without the hook, re-creating a container Watchtower replaced fails on the name",
  async (scope) => {
    const name = scope.name("orchestrator");
    await scope.run({ name, Image: testImages.watchtower, Labels: ownLabels });
    await replaceLikeWatchtower(scope, name);

    await assert.rejects(
      scope.run({ name, Image: testImages.watchtower, Labels: ownLabels }),
      (error: { statusCode?: number }) => error.statusCode === 409,
    );
  },
);

engineTest("the hook clears the replaced container so the create succeeds", async (scope) => {
  const name = scope.name("orchestrator");
  await scope.run({ name, Image: testImages.watchtower, Labels: ownLabels });
  const replacement = await replaceLikeWatchtower(scope, name);
  const hook = await hookFor();

  await hook.callback(hookArgs(name));

  assert.equal(await isGone(scope.docker, replacement.id), true);
  const created = await scope.run({ name, Image: testImages.watchtower, Labels: ownLabels });
  assert.equal((await created.inspect()).Name, `/${name}`);
});

engineTest("the hook does nothing when no container has the name", async (scope) => {
  const name = scope.name("orchestrator");
  const hook = await hookFor();

  await hook.callback(hookArgs(name));

  assert.equal(await isGone(scope.docker, name), true);
});

engineTest("the hook stops the update on a same-named container it does not own", async (scope) => {
  const name = scope.name("orchestrator");
  const foreign = await scope.run({ name, Image: testImages.watchtower });
  const hook = await hookFor();

  await assert.rejects(
    async () => hook.callback(hookArgs(name)),
    new RegExp(`${name}.*not managed by`),
  );
  assert.equal((await foreign.inspect()).State.Running, true);
});

engineTest("the hook fails with the engine named when the engine cannot be reached", async () => {
  const hook = await hookFor("/nonexistent/docker.sock");

  await assert.rejects(
    async () => hook.callback(hookArgs("vtuber_orchestrator")),
    /\/nonexistent\/docker\.sock/,
  );
});
