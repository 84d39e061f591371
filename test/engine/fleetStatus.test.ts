// One test per scenario of issue #6, each on a real engine with a real registry.
import assert from "node:assert/strict";
import { finished } from "node:stream/promises";

import { watchtowerScopeLabel } from "../../components/labels";
import { main } from "../../status/cli";
import type { FleetReport } from "../../status/types";
import { engineTest, runId, testImages, testRegistryUrl, testSsh } from "./engine";
import {
  hostName,
  publish,
  startOrchestrator,
  startWatchtower,
  status,
  waitForHealth,
  writeSite,
} from "./fleetSite";

engineTest(
  "a host on the tag's digest, healthy and watched, is current and exits 0",
  async (scope) => {
    const site = writeSite(scope);
    await publish(scope, site, testImages.orchestratorV1);
    await startOrchestrator(scope, site);
    await startWatchtower(scope, site);

    const report = await status(site);

    assert.equal(report.exitCode, 0);
    assert.ok(report.registry.ok);
    const [host] = report.hosts;
    assert.deepEqual(
      {
        verdict: host.verdict,
        update: host.update?.status,
        health: host.orchestrator?.health,
        problems: host.problems,
      },
      { verdict: "ok", update: "current", health: "healthy", problems: [] },
    );
    assert.equal(host.orchestrator?.digest, report.registry.digest);
    assert.deepEqual(host.watchtower, {
      containerName: site.config.watchtower.containerName,
      present: true,
      state: "running",
      image: testImages.watchtower,
      version: "1.21.0",
      flags: {
        labelEnable: true,
        scope: "orchestrator-cluster",
        intervalSeconds: 60,
        monitorOnly: false,
        apiOnly: false,
      },
      selectsOrchestrator: true,
    });
  },
);

engineTest(
  "a host left on the old digest after a new push is behind since the new build, and exits 1",
  async (scope) => {
    const site = writeSite(scope);
    await publish(scope, site, testImages.orchestratorV1);
    await startOrchestrator(scope, site);
    await startWatchtower(scope, site);
    const running = (await status(site)).registry;
    await publish(scope, site, testImages.orchestratorV2);

    const report = await status(site);

    assert.equal(report.exitCode, 1);
    assert.ok(running.ok && report.registry.ok);
    assert.notEqual(report.registry.digest, running.digest);
    const v2Created = (await scope.docker.getImage(testImages.orchestratorV2).inspect()).Created;
    assert.equal(report.registry.created, v2Created);
    const [host] = report.hosts;
    assert.equal(host.verdict, "attention");
    assert.deepEqual(host.update, {
      status: "behind",
      wantedDigest: report.registry.digest,
      behindSince: v2Created,
    });
    assert.equal(host.orchestrator?.digest, running.digest);
    assert.deepEqual(host.problems, [
      {
        severity: "error",
        message:
          `${site.config.orchestrator.containerName} runs ${running.digest.slice(0, 19)}, but the registry serves ` +
          `${report.registry.digest.slice(0, 19)} for ghcr.io/${site.config.image.owner}/autonomy-orchestrator:autonomy-latest ` +
          `(built ${v2Created}); Watchtower has not updated it yet`,
      },
    ]);
  },
);

engineTest("a host whose /health fails is unhealthy and exits 1", async (scope) => {
  const site = writeSite(scope);
  await publish(scope, site, testImages.orchestratorV1);
  await startOrchestrator(scope, site);
  await startWatchtower(scope, site);
  const exec = await scope.docker
    .getContainer(site.config.orchestrator.containerName)
    .exec({ Cmd: ["rm", "/www/health"], AttachStdout: true, AttachStderr: true });
  // Read the attached stream to its end: left open, it holds the test process for minutes.
  const output = await exec.start({});
  output.resume();
  await finished(output);
  assert.equal((await exec.inspect()).ExitCode, 0);
  await waitForHealth(scope, site, "unhealthy");

  const report = await status(site);

  assert.equal(report.exitCode, 1);
  const [host] = report.hosts;
  assert.equal(host.verdict, "attention");
  assert.equal(host.orchestrator?.health, "unhealthy");
  assert.equal(host.update?.status, "current");
  assert.deepEqual(host.problems, [
    {
      severity: "error",
      message:
        `${site.config.orchestrator.containerName} is unhealthy: /health on port 8080 fails; last probe: ` +
        "wget: server returned error: HTTP/1.1 404 Not Found",
    },
  ]);
});

engineTest(
  "a host without Watchtower is reported as never updating, and exits 1",
  async (scope) => {
    const site = writeSite(scope);
    await publish(scope, site, testImages.orchestratorV1);
    await startOrchestrator(scope, site);

    const report = await status(site);

    assert.equal(report.exitCode, 1);
    const [host] = report.hosts;
    assert.equal(host.update?.status, "current");
    assert.deepEqual(host.watchtower, {
      containerName: site.config.watchtower.containerName,
      present: false,
    });
    assert.deepEqual(host.problems, [
      {
        severity: "error",
        message:
          `Watchtower (${site.config.watchtower.containerName}) is missing: nothing updates the orchestrator ` +
          "on this host; run `pulumi up`",
      },
    ]);
  },
);

engineTest(
  "an orchestrator without the scope label (the seed's compose file) is flagged, and exits 1",
  async (scope) => {
    const site = writeSite(scope);
    await publish(scope, site, testImages.orchestratorV1);
    await startOrchestrator(scope, site, (labels) => {
      const withoutScope = { ...labels };
      delete withoutScope[watchtowerScopeLabel];
      return withoutScope;
    });
    await startWatchtower(scope, site);

    const report = await status(site);

    assert.equal(report.exitCode, 1);
    const [host] = report.hosts;
    assert.equal(host.watchtower?.selectsOrchestrator, false);
    assert.deepEqual(host.problems, [
      {
        severity: "error",
        message:
          "Watchtower will not update the orchestrator: Watchtower runs with --scope orchestrator-cluster but the " +
          "orchestrator has no com.centurylinklabs.watchtower.scope label, so Watchtower ignores it (the seed's " +
          "compose file has exactly this bug)",
      },
    ]);
  },
);

engineTest(
  "an unreachable host is reported with its reason beside a good one, and exits 2",
  async (scope) => {
    const missingSocket = `/tmp/orchestrator-fleet-missing-${runId}.sock`;
    const site = writeSite(scope, [{ name: "edge-2", dockerSocket: missingSocket }]);
    await publish(scope, site, testImages.orchestratorV1);
    await startOrchestrator(scope, site);
    await startWatchtower(scope, site);

    const report = await status(site);

    assert.equal(report.exitCode, 2);
    assert.deepEqual(
      report.hosts.map((host) => [host.host, host.verdict, host.update?.status]),
      [
        [hostName, "ok", "current"],
        ["edge-2", "unchecked", undefined],
      ],
    );
    assert.equal(
      report.hosts[1].unreachable,
      `Cannot reach the Docker engine at unix://${missingSocket} to read its containers: connect ENOENT ` +
        `${missingSocket}. Check that Docker is running there and that the socket path is right ` +
        `(\`docker -H unix://${missingSocket} info\` must answer).`,
    );

    const output: string[] = [];
    const code = await main(
      ["--stack", site.stack, "--project-dir", site.projectDir, "--registry-url", testRegistryUrl],
      {
        stdout: (text) => output.push(text),
        stderr: (text) => output.push(text),
        isTty: true,
        env: { NO_COLOR: "1" },
        cwd: "/",
      },
    );
    assert.equal(code, 2);
    const table = output.join("");
    assert.match(
      table,
      new RegExp(
        `^${hostName} +running, healthy +0 +\\S+ \\S+ +sha256:[0-9a-f]{12} +current +1\\.21\\.0, watches it$`,
        "m",
      ),
    );
    assert.match(table, /^edge-2 +unreachable$/m);
    assert.match(
      table,
      /^ {2}edge-2 {2}error {4}not checked: Cannot reach the Docker engine at unix:\/\/\/tmp\//m,
    );
    assert.match(table, /^1 of 2 hosts current and healthy, 1 not checked \(exit 2\)$/m);
    assert.ok(!table.includes("\u001b["), "NO_COLOR turns colour off");
  },
);

engineTest(
  "a host reached over ssh with --identity is checked like a local one",
  async (scope) => {
    const site = writeSite(
      scope,
      [{ name: "edge-ssh", ssh: { host: testSsh.host, user: testSsh.user, port: testSsh.port } }],
      // The stack's key is an encrypted secret the status cannot read; --identity stands in.
      ["  orchestrator-fleet:sshPrivateKey:", "    secure: v1:c2VjcmV0"],
    );
    await publish(scope, site, testImages.orchestratorV1);
    await startOrchestrator(scope, site);
    await startWatchtower(scope, site);

    const output: string[] = [];
    const argv = [
      "--stack",
      site.stack,
      "--project-dir",
      site.projectDir,
      "--json",
      "--identity",
      testSsh.keyFile,
    ];
    const code = await main([...argv, "--registry-url", testRegistryUrl], {
      stdout: (text) => output.push(text),
      stderr: (text) => output.push(text),
      isTty: false,
      env: {},
      cwd: "/",
    });

    const report = JSON.parse(output.join("")) as FleetReport;
    assert.equal(code, 0);
    assert.deepEqual(
      report.hosts.map((host) => [host.host, host.engine, host.verdict, host.update?.status]),
      [
        [hostName, `unix://${scope.socketPath}`, "ok", "current"],
        ["edge-ssh", `ssh://root@127.0.0.1:${testSsh.port}`, "ok", "current"],
      ],
    );
  },
  { needsSsh: true },
);
