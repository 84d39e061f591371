// The per-host resources, evaluated under Pulumi's mocks from a stack config, the way
// `pulumi up` evaluates index.ts.
import * as pulumi from "@pulumi/pulumi";

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, it, mock } from "node:test";

import { declareProgram } from "../components/program";
import { readPulumiConfig } from "../components/pulumiConfig";
import { makeProjectDir, validValues } from "./fixtures";
import type { RecordedResource } from "./mocks";
import { promiseOf, recorded, resourceNamed, resourcesOfType, settle, setupMocks } from "./mocks";

const containerType = "docker:index/container:Container";
const digest = `sha256:${"b".repeat(64)}`;

let projectDir: string;
let warnings: string[];

beforeEach(() => {
  projectDir = makeProjectDir();
  warnings = [];
  mock.method(pulumi.log, "warn", async (message: string) => {
    warnings.push(message);
  });
});

afterEach(() => mock.restoreAll());

async function evaluate(values: Record<string, unknown>, secrets: Record<string, string> = {}) {
  await setupMocks({ config: { ...values, ...secrets }, secretKeys: Object.keys(secrets) });
  const program = declareProgram(readPulumiConfig(projectDir));
  const hosts = await promiseOf(program.site.hosts);
  await settle();
  return { program, hosts };
}

function labelsOf(container: RecordedResource): Record<string, string> {
  return Object.fromEntries(
    (container.inputs.labels as { label: string; value: string }[]).map((l) => [l.label, l.value]),
  );
}

function flagValue(command: string[], flag: string): string | undefined {
  const index = command.indexOf(flag);
  return index === -1 ? undefined : command[index + 1];
}

const twoHosts = {
  ...validValues(),
  hosts: [{ name: "edge-1" }, { name: "edge-2", ssh: { host: "edge-2.lan", user: "deploy" } }],
};

describe("FleetHost", () => {
  it("labels the orchestrator so that its Watchtower's --label-enable and --scope select it", async () => {
    await evaluate({ ...validValues(), watchtower: { scope: "site-a" } });
    const orchestrator = labelsOf(resourceNamed("acme-edge-edge-1-orchestrator"));
    const watchtower = resourceNamed("acme-edge-edge-1-watchtower");
    const command = watchtower.inputs.command as string[];
    assert.ok(command.includes("--label-enable"));
    assert.equal(orchestrator["com.centurylinklabs.watchtower.enable"], "true");
    assert.equal(flagValue(command, "--scope"), "site-a");
    assert.equal(orchestrator["com.centurylinklabs.watchtower.scope"], "site-a");
    assert.equal(labelsOf(watchtower)["com.centurylinklabs.watchtower.scope"], "site-a");
    assert.equal(labelsOf(watchtower)["com.centurylinklabs.watchtower"], undefined);
  });

  it("runs Watchtower with the seed's flags from config", async () => {
    await evaluate({ ...validValues(), watchtower: { intervalSeconds: 300, debug: true } });
    assert.deepEqual(resourceNamed("acme-edge-edge-1-watchtower").inputs.command, [
      "--label-enable",
      "--interval",
      "300",
      "--cleanup",
      "--scope",
      "orchestrator-cluster",
      "--rolling-restart",
      "--debug",
    ]);
  });

  it("mounts the Docker socket into Watchtower and into no other container", async () => {
    await evaluate({ ...validValues(), ollama: { enabled: true } });
    const withSocket = resourcesOfType(containerType)
      .filter((container) =>
        (container.inputs.mounts ?? []).some((mount: { source: string }) =>
          mount.source.endsWith("docker.sock"),
        ),
      )
      .map((container) => container.name);
    assert.equal(resourcesOfType(containerType).length, 3);
    assert.deepEqual(withSocket, ["acme-edge-edge-1-watchtower"]);
  });

  it("runs the orchestrator from the literal tag, pulled first, with the seed's environment and port", async () => {
    const { hosts } = await evaluate(validValues());
    const orchestrator = resourceNamed("acme-edge-edge-1-orchestrator");
    const image = resourceNamed("acme-edge-edge-1-orchestrator-image");
    assert.equal(orchestrator.inputs.image, "ghcr.io/acme/autonomy-orchestrator:autonomy-latest");
    assert.equal(image.inputs.name, "ghcr.io/acme/autonomy-orchestrator:autonomy-latest");
    assert.equal(image.inputs.keepLocally, true);
    assert.ok(orchestrator.dependencies.includes(image.urn));
    assert.equal(orchestrator.inputs.name, "vtuber_orchestrator");
    assert.deepEqual(orchestrator.inputs.envs, [
      "PYTHONUNBUFFERED=1",
      "LOG_LEVEL=INFO",
      "OLLAMA_HOST=http://vtuber-ollama:11434",
      "API_REGISTRY_PATH=/config/api_registry.yaml",
    ]);
    assert.deepEqual(orchestrator.inputs.ports, [
      { internal: 8080, external: 8082, ip: "0.0.0.0", protocol: "tcp" },
    ]);
    assert.equal(orchestrator.inputs.restart, "unless-stopped");
    assert.deepEqual(hosts["edge-1"], {
      orchestratorUrl: "http://localhost:8082",
      containerNames: {
        orchestrator: "vtuber_orchestrator",
        watchtower: "watchtower_orchestrator",
      },
      imageReference: "ghcr.io/acme/autonomy-orchestrator:autonomy-latest",
      autoUpdate: true,
    });
  });

  it("turns auto-update off while a digest is pinned, and back on without it", async () => {
    const pinned = await evaluate({ ...validValues(), image: { owner: "acme", digest } });
    const orchestrator = resourceNamed("acme-edge-edge-1-orchestrator");
    assert.equal(orchestrator.inputs.image, `ghcr.io/acme/autonomy-orchestrator@${digest}`);
    assert.equal(labelsOf(orchestrator)["com.centurylinklabs.watchtower.enable"], "false");
    assert.equal(pinned.hosts["edge-1"].autoUpdate, false);
    assert.deepEqual(warnings, [
      `image.digest pins every orchestrator of this site to ${digest}: Watchtower leaves them ` +
        "alone until it is removed (`pulumi config rm --path image.digest`), after which they " +
        "follow autonomy-latest again.",
    ]);
    assert.equal(
      pinned.hosts["edge-1"].imageReference,
      `ghcr.io/acme/autonomy-orchestrator@${digest}`,
    );

    warnings = [];
    const unpinned = await evaluate(validValues());
    assert.deepEqual(warnings, []);
    assert.equal(
      labelsOf(resourceNamed("acme-edge-edge-1-orchestrator"))[
        "com.centurylinklabs.watchtower.enable"
      ],
      "true",
    );
    assert.equal(unpinned.hosts["edge-1"].autoUpdate, true);
  });

  it("gives the orchestrator a healthcheck that `pulumi up` waits on, and bounds every container's logs", async () => {
    await evaluate({
      ...validValues(),
      ollama: { enabled: true },
      logging: { maxSize: "20m", maxFiles: 5 },
    });
    const orchestrator = resourceNamed("acme-edge-edge-1-orchestrator");
    assert.deepEqual(orchestrator.inputs.healthcheck, {
      tests: [
        "CMD",
        "python",
        "-c",
        "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/health', timeout=4)",
      ],
      interval: "30s",
      timeout: "5s",
      retries: 3,
      startPeriod: "20s",
    });
    assert.equal(orchestrator.inputs.wait, true);
    assert.equal(orchestrator.inputs.waitTimeout, 180);
    for (const container of resourcesOfType(containerType)) {
      assert.equal(container.inputs.logDriver, "json-file", container.name);
      assert.deepEqual(
        container.inputs.logOpts,
        { "max-size": "20m", "max-file": "5" },
        container.name,
      );
    }
  });

  it("mounts the local config directory read-only and replaces the orchestrator when a file changes", async () => {
    await evaluate(validValues());
    const before = resourceNamed("acme-edge-edge-1-orchestrator");
    const configDir = path.join(projectDir, "config", "acme-edge");
    assert.deepEqual(before.inputs.mounts, [
      { type: "bind", source: configDir, target: "/config", readOnly: true },
    ]);
    fs.writeFileSync(path.join(configDir, "api_registry.yaml"), "apis: [changed]\n");
    await evaluate(validValues());
    const after = resourceNamed("acme-edge-edge-1-orchestrator");
    const hashLabel = "dev.orchestrator-fleet.config-sha256";
    assert.notEqual(labelsOf(after)[hashLabel], labelsOf(before)[hashLabel]);
  });

  it("copies the config directory to an ssh host before the orchestrator mounts it there", async () => {
    await evaluate(twoHosts, { sshPrivateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nk\n" });
    const copy = resourceNamed("acme-edge-edge-2-config-file-api-registry-yaml");
    assert.equal(
      copy.inputs.remotePath,
      "/opt/orchestrator-fleet/acme-edge/config/api_registry.yaml",
    );
    const prepare = resourceNamed("acme-edge-edge-2-config-prepare");
    assert.equal(
      prepare.inputs.create,
      "set -eu; rm -rf '/opt/orchestrator-fleet/acme-edge/config'; mkdir -p '/opt/orchestrator-fleet/acme-edge/config'",
    );
    assert.ok(copy.dependencies.includes(prepare.urn));
    const orchestrator = resourceNamed("acme-edge-edge-2-orchestrator");
    assert.equal(orchestrator.inputs.mounts[0].source, "/opt/orchestrator-fleet/acme-edge/config");
    const provider = resourceNamed("acme-edge-edge-2-docker");
    assert.equal(provider.inputs.host, "ssh://deploy@edge-2.lan:22");
  });

  it("declares an independent set of resources per host, each through its own provider", async () => {
    const values = { ...validValues(), hosts: [{ name: "a" }, { name: "b" }, { name: "c" }] };
    await evaluate(values);
    const providers = resourcesOfType("pulumi:providers:docker");
    assert.equal(providers.length, 3);
    assert.equal(resourcesOfType(containerType).length, 6);
    for (const hostName of ["a", "b", "c"]) {
      const prefix = `acme-edge-${hostName}-`;
      const provider = resourceNamed(`${prefix}docker`);
      const own = recorded.resources.filter((resource) => resource.name.startsWith(prefix));
      const others = new Set(
        recorded.resources
          .filter((resource) => !resource.name.startsWith(prefix))
          .map((r) => r.urn),
      );
      for (const resource of own.filter((r) => r.type.startsWith("docker:index/"))) {
        assert.ok(
          resource.provider.startsWith(`${provider.urn}::`),
          `${resource.name} uses ${resource.provider}`,
        );
        assert.deepEqual(
          resource.dependencies.filter((urn) => others.has(urn)),
          [],
          `${resource.name} depends on another host`,
        );
      }
    }
  });

  it("makes every container survive Watchtower: fixed name, delete-before-replace, replace on any change, stale-name hook", async () => {
    await evaluate({ ...validValues(), ollama: { enabled: true } });
    const containers = resourcesOfType(containerType);
    assert.equal(containers.length, 3);
    for (const container of containers) {
      assert.equal(typeof container.inputs.name, "string", container.name);
      assert.equal(container.deleteBeforeReplace, true, container.name);
      assert.deepEqual(container.replaceOnChanges, ["*"], container.name);
      assert.deepEqual(
        container.beforeCreateHooks,
        ["acme-edge-edge-1-clear-stale-container"],
        container.name,
      );
    }
    assert.deepEqual(recorded.hooks, ["acme-edge-edge-1-clear-stale-container"]);
  });

  it("runs Ollama on the shared network under the name OLLAMA_HOST points at", async () => {
    await evaluate({ ...validValues(), ollama: { enabled: true } });
    const ollama = resourceNamed("acme-edge-edge-1-ollama");
    const network = resourceNamed("acme-edge-edge-1-network");
    assert.equal(ollama.inputs.name, "vtuber-ollama");
    assert.deepEqual(ollama.inputs.networksAdvanced, [
      { name: network.inputs.name, aliases: ["vtuber-ollama"] },
    ]);
    assert.deepEqual(ollama.inputs.volumes, [
      { volumeName: "vtuber-ollama-models", containerPath: "/root/.ollama" },
    ]);
    assert.equal(labelsOf(ollama)["com.centurylinklabs.watchtower.enable"], undefined);
  });

  it("pins Docker API 1.44 for the archived containrrr/watchtower image, warning once per site", async () => {
    await evaluate({
      ...twoHosts,
      hosts: [{ name: "edge-1" }, { name: "edge-3" }],
      watchtower: { image: "containrrr/watchtower:latest" },
    });
    assert.deepEqual(resourceNamed("acme-edge-edge-3-watchtower").inputs.envs, [
      "DOCKER_API_VERSION=1.44",
    ]);
    assert.deepEqual(resourceNamed("acme-edge-edge-1-watchtower").inputs.envs, [
      "DOCKER_API_VERSION=1.44",
    ]);
  });
});

describe("secrets", () => {
  const secrets = {
    registryToken: "ghp_registrytoken",
    notificationUrl: "slack://token@channel",
    sshPrivateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nsecretkey\n",
  };

  it("stay secret in every input that carries them and never reach an output", async () => {
    const { program } = await evaluate({ ...twoHosts, registryUser: "ci-bot" }, secrets);
    for (const hostName of ["edge-1", "edge-2"]) {
      const provider = resourceNamed(`acme-edge-${hostName}-docker`);
      assert.deepEqual(provider.inputs.registryAuth, [
        { address: "ghcr.io", username: "ci-bot", password: "ghp_registrytoken" },
      ]);
      assert.ok(provider.secretInputs.includes("registryAuth"), hostName);
      const watchtower = resourceNamed(`acme-edge-${hostName}-watchtower`);
      assert.deepEqual(watchtower.inputs.envs, [
        "REPO_USER=ci-bot",
        "REPO_PASS=ghp_registrytoken",
        "WATCHTOWER_NOTIFICATION_URL=slack://token@channel",
      ]);
      assert.ok(watchtower.secretInputs.includes("envs"), hostName);
    }
    for (const name of [
      "acme-edge-edge-2-config-prepare",
      "acme-edge-edge-2-config-file-api-registry-yaml",
    ]) {
      assert.ok(resourceNamed(name).secretInputs.includes("connection"), name);
    }

    const secretValues = Object.values(secrets);
    for (const resource of recorded.resources) {
      for (const [key, value] of Object.entries(resource.inputs)) {
        const text = JSON.stringify(value) ?? "";
        if (secretValues.some((secret) => text.includes(secret.trim()))) {
          assert.ok(
            resource.secretInputs.includes(key),
            `${resource.name}.${key} carries a secret in plain`,
          );
        }
      }
    }
    assert.equal(await pulumi.isSecret(program.site.hosts), false);
    const outputs = JSON.stringify(await promiseOf(program.site.hosts));
    for (const secret of secretValues) {
      assert.ok(!outputs.includes(secret.trim()), "a secret reached the stack outputs");
    }
  });

  it("give the Docker provider a private key file, not the key", async () => {
    await evaluate(twoHosts, { sshPrivateKey: secrets.sshPrivateKey });
    const sshOpts = resourceNamed("acme-edge-edge-2-docker").inputs.sshOpts as string[];
    assert.equal(sshOpts[0], "-i");
    assert.equal(fs.readFileSync(sshOpts[1], "utf8"), secrets.sshPrivateKey);
    assert.equal(fs.statSync(sshOpts[1]).mode & 0o777, 0o600);
    assert.equal(resourceNamed("acme-edge-edge-1-docker").inputs.sshOpts, undefined);
  });
});
