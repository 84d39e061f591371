import assert from "node:assert/strict";
import { test } from "node:test";

import { createDockerClient } from "../../components/dockerEngine";
import { fleetHostLabel, fleetSiteLabel } from "../../components/labels";
import { clearStaleContainer } from "../../components/staleContainer";
import { engineTest, isGone, runId, testImages } from "./engine";

const owner = { site: `fleet-test-${runId}`, host: "edge-1" };
const ownLabels = { [fleetSiteLabel]: owner.site, [fleetHostLabel]: owner.host };
// The fake Watchtower image only sleeps: a cheap container to create and remove.
const sleeper = { Image: testImages.watchtower };

engineTest("reports absent when no container has the name", async (scope) => {
  const name = scope.name("orchestrator");

  assert.equal(await clearStaleContainer(scope.docker, name, owner), "absent");
});

engineTest("removes a running container of this site and host", async (scope) => {
  const name = scope.name("orchestrator");
  const container = await scope.run({ ...sleeper, name, Labels: ownLabels });

  assert.equal(await clearStaleContainer(scope.docker, name, owner), "removed");
  assert.equal(await isGone(scope.docker, container.id), true);
});

engineTest("removes a stopped container of this site and host", async (scope) => {
  const name = scope.name("orchestrator");
  const container = await scope.run({ ...sleeper, name, Labels: ownLabels });
  await container.stop({ t: 1 });

  assert.equal(await clearStaleContainer(scope.docker, name, owner), "removed");
  assert.equal(await isGone(scope.docker, container.id), true);
});

engineTest("removes a created but never started container of this site and host", async (scope) => {
  const name = scope.name("orchestrator");
  const container = await scope.run({ ...sleeper, name, Labels: ownLabels, start: false });

  assert.equal(await clearStaleContainer(scope.docker, name, owner), "removed");
  assert.equal(await isGone(scope.docker, container.id), true);
});

engineTest(
  "refuses a same-named container without the fleet labels and leaves it running",
  async (scope) => {
    const name = scope.name("orchestrator");
    const container = await scope.run({ ...sleeper, name });

    await assert.rejects(clearStaleContainer(scope.docker, name, owner), {
      message:
        `A container named "${name}" already exists on host "edge-1" and is not managed by this stack ` +
        `(site "${owner.site}"): it has no orchestrator-fleet labels, where this stack expects ` +
        `dev.orchestrator-fleet.site=${owner.site} and dev.orchestrator-fleet.host=edge-1. It was left alone. ` +
        `Remove it on that host with \`docker rm -f ${name}\`, then run \`pulumi up\` again.`,
    });
    assert.equal((await container.inspect()).State.Running, true);
  },
);

engineTest(
  "names the compose project of a foreign container started by Docker Compose",
  async (scope) => {
    const name = scope.name("orchestrator");
    await scope.run({ ...sleeper, name, Labels: { "com.docker.compose.project": "production" } });

    await assert.rejects(clearStaleContainer(scope.docker, name, owner), {
      message:
        `A container named "${name}" already exists on host "edge-1" and is not managed by this stack ` +
        `(site "${owner.site}"): it has no orchestrator-fleet labels, where this stack expects ` +
        `dev.orchestrator-fleet.site=${owner.site} and dev.orchestrator-fleet.host=edge-1. It was left alone. ` +
        `Remove it on that host with \`docker compose -p production down\` (it was started by Docker ` +
        `Compose project "production") or \`docker rm -f ${name}\`, then run \`pulumi up\` again.`,
    });
  },
);

engineTest("refuses a container labelled for another host of the same site", async (scope) => {
  const name = scope.name("orchestrator");
  const container = await scope.run({
    ...sleeper,
    name,
    Labels: { [fleetSiteLabel]: owner.site, [fleetHostLabel]: "edge-2" },
  });

  await assert.rejects(clearStaleContainer(scope.docker, name, owner), {
    message:
      `A container named "${name}" already exists on host "edge-1" and is not managed by this stack ` +
      `(site "${owner.site}"): it is labelled dev.orchestrator-fleet.site=${owner.site} and ` +
      `dev.orchestrator-fleet.host=edge-2, where this stack expects dev.orchestrator-fleet.site=${owner.site} ` +
      `and dev.orchestrator-fleet.host=edge-1. It was left alone. Remove it on that host with ` +
      `\`docker rm -f ${name}\`, then run \`pulumi up\` again.`,
  });
  assert.equal(await isGone(scope.docker, container.id), false);
});

engineTest("leaves containers whose names only contain the target name", async (scope) => {
  const name = scope.name("orchestrator");
  // Both carry this stack's labels: only the exact name may decide.
  const longer = await scope.run({ ...sleeper, name: `${name}_old`, Labels: ownLabels });
  const prefixed = await scope.run({ ...sleeper, name: `x${name}`, Labels: ownLabels });

  assert.equal(await clearStaleContainer(scope.docker, name, owner), "absent");
  assert.equal(await isGone(scope.docker, longer.id), false);
  assert.equal(await isGone(scope.docker, prefixed.id), false);
});

test("says which engine it could not reach when the socket does not exist", async () => {
  const socketPath = `/tmp/orchestrator-fleet-no-engine-${runId}.sock`;
  const docker = createDockerClient({ socketPath });

  await assert.rejects(clearStaleContainer(docker, "vtuber_orchestrator", owner), {
    message:
      `Cannot reach the Docker engine at unix://${socketPath} to clear a stale container ` +
      `"vtuber_orchestrator": connect ENOENT ${socketPath}. Check that Docker is running there and ` +
      `that the socket path is right (\`docker -H unix://${socketPath} info\` must answer).`,
  });
});
