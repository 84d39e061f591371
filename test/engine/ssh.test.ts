// The ssh:// transport for real: an sshd on loopback whose "remote" side runs
// `docker system dial-stdio` against the test engine, as a customer host would.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { createDockerClient } from "../../components/dockerEngine";
import { fleetHostLabel, fleetSiteLabel } from "../../components/labels";
import { clearStaleContainer } from "../../components/staleContainer";
import { engineTest, eventually, isGone, runId, testImages, testSsh } from "./engine";

const ssh = { host: testSsh.host, user: testSsh.user, port: testSsh.port };
const owner = { site: `fleet-test-${runId}`, host: "edge-1" };

engineTest(
  "reaches the engine over ssh with a private key and clears a stale container there",
  async (scope) => {
    const docker = createDockerClient(
      { ssh: { ...ssh, privateKey: fs.readFileSync(testSsh.keyFile, "utf8") } },
      {},
    );
    const name = scope.name("orchestrator");
    const container = await scope.run({
      Image: testImages.watchtower,
      name,
      Labels: { [fleetSiteLabel]: owner.site, [fleetHostLabel]: owner.host },
    });

    assert.equal((await docker.version()).ApiVersion, (await scope.docker.version()).ApiVersion);
    assert.equal(await clearStaleContainer(docker, name, owner), "removed");
    assert.equal(await isGone(scope.docker, container.id), true);
  },
  { needsSsh: true },
);

engineTest(
  "reaches the engine over ssh through the SSH agent named by SSH_AUTH_SOCK",
  async (_scope, t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-agent-"));
    const socket = path.join(dir, "agent.sock");
    // -D keeps the agent in the foreground, so this test owns the process and ends it.
    const agent = spawn("ssh-agent", ["-D", "-a", socket], { stdio: "ignore" });
    t.after(() => {
      agent.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    await eventually("the SSH agent's socket", 5000, async () =>
      fs.existsSync(socket) ? true : undefined,
    );
    const added = spawnSync("ssh-add", [testSsh.keyFile], {
      env: { ...process.env, SSH_AUTH_SOCK: socket },
    });
    assert.equal(added.status, 0, added.stderr.toString());

    const docker = createDockerClient({ ssh }, { SSH_AUTH_SOCK: socket });

    assert.equal(await docker.ping().then(String), "OK");
  },
  { needsSsh: true },
);

engineTest(
  "an ssh host that refuses the connection gives a clear error",
  async () => {
    const closedPort = 1;
    const docker = createDockerClient(
      { ssh: { ...ssh, port: closedPort, privateKey: fs.readFileSync(testSsh.keyFile, "utf8") } },
      {},
    );

    await assert.rejects(clearStaleContainer(docker, "vtuber_orchestrator", owner), {
      message:
        `Cannot reach the Docker engine at ssh://root@127.0.0.1:${closedPort} to clear a stale container ` +
        `"vtuber_orchestrator": connect ECONNREFUSED 127.0.0.1:${closedPort}. Check that the host is up, that SSH ` +
        "answers on that port for that user with your key or agent, and that the docker CLI is installed there " +
        `(\`docker -H ssh://root@127.0.0.1:${closedPort} info\` must answer).`,
    });
  },
  { needsSsh: true },
);
