// The fleet check's wiring without an engine: hosts run at once, each within its own time limit,
// and a host that cannot even be dialled is reported with what to do.
import type Docker from "dockerode";

import assert from "node:assert/strict";
import { test } from "node:test";

import { parseFleetConfig } from "../../components/config";
import { checkFleet } from "../../status/fleet";
import { makeProjectDir, rawInput } from "../fixtures";

function siteWith(hosts: unknown[]) {
  const projectDir = makeProjectDir("acme-edge");
  return parseFleetConfig(
    rawInput(
      {
        site: "acme-edge",
        image: { owner: "acme" },
        hosts,
        orchestrator: { configDir: "config/acme-edge" },
      },
      projectDir,
    ),
  );
}

/** A client whose engine never answers. */
const silentEngine = { version: () => new Promise(() => undefined) } as unknown as Docker;

test("an ssh host without agent or key is not checked, and the reason says how to give a key", async () => {
  const config = siteWith([
    { name: "edge-1", ssh: { host: "edge-1.example.internal", user: "deploy", useAgent: true } },
  ]);

  const report = await checkFleet(config, {
    stack: "acme-edge",
    env: {},
    registryUrl: "http://127.0.0.1:9",
    hostTimeoutMs: 1000,
  });

  assert.equal(report.exitCode, 2);
  assert.equal(
    report.hosts[0].unreachable,
    "Cannot sign in to ssh://deploy@edge-1.example.internal:22: no SSH agent is running here (SSH_AUTH_SOCK is not set) " +
      'and no private key was given. Start an agent and add the host\'s key (`eval "$(ssh-agent)" && ssh-add ~/.ssh/id_ed25519`), ' +
      "or set the stack secret `pulumi config set --secret orchestrator-fleet:sshPrivateKey < key-file`. " +
      "For this command: start an agent or pass --identity <key file>.",
  );
});

test("a host that never answers times out on its own while the others are checked", async () => {
  const config = siteWith([
    { name: "edge-1", dockerSocket: "/run/edge-1.sock" },
    { name: "edge-2", dockerSocket: "/run/edge-2.sock" },
  ]);
  const started = Date.now();

  const report = await checkFleet(config, {
    stack: "acme-edge",
    registryUrl: "http://127.0.0.1:9",
    hostTimeoutMs: 500,
    connect: () => silentEngine,
  });

  // Both limits ran side by side, not one after the other.
  assert.ok(Date.now() - started < 900, `took ${Date.now() - started} ms`);
  assert.deepEqual(
    report.hosts.map((host) => [host.host, host.verdict, host.unreachable]),
    [
      ["edge-1", "unchecked", "the engine at unix:///run/edge-1.sock did not answer within 0.5 s"],
      ["edge-2", "unchecked", "the engine at unix:///run/edge-2.sock did not answer within 0.5 s"],
    ],
  );
});
