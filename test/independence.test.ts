// Nothing in the program may serialise hosts: the engine can then create, update or fail every
// host of a site on its own. Checked from what each registration told the mock monitor, on a
// site that mixes local engines, ssh hosts on the agent and an ssh host with the stack's key, and
// shares the registry login and the notification URL between all of them.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";

import { declareProgram } from "../components/program";
import { readPulumiConfig } from "../components/pulumiConfig";
import { makeProjectDir, validValues } from "./fixtures";
import type { RecordedResource } from "./mocks";
import { promiseOf, recorded, resourceNamed, settle, setupMocks } from "./mocks";

const fleetHostType = "orchestrator-fleet:host:FleetHost";

const fiveHosts = {
  ...validValues(),
  registryUser: "acme-bot",
  hosts: [
    { name: "edge-1" },
    { name: "edge-2", ssh: { host: "edge-2.lan", user: "deploy", useAgent: true } },
    { name: "edge-3", ssh: { host: "10.0.0.3", user: "deploy", port: 2222 } },
    { name: "edge-4", dockerSocket: "/run/user/1000/docker.sock" },
    { name: "edge-5", ssh: { host: "edge-5.lan", user: "deploy", useAgent: true } },
  ],
};

const secrets = {
  registryToken: "ghp_0123456789",
  sshPrivateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nk\n",
  notificationUrl: "slack://token@channel",
};

const hostNames = fiveHosts.hosts.map((host) => host.name);

/** Maps each recorded URN to the URN of the FleetHost it belongs to (a FleetHost to itself). */
function ownersByUrn(resources: readonly RecordedResource[]): Map<string, string | undefined> {
  const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
  const ownerOf = (urn: string): string | undefined => {
    const resource = byUrn.get(urn);
    if (!resource) {
      throw new Error(`a dependency names ${urn}, which was never registered`);
    }
    if (resource.type === fleetHostType) {
      return resource.urn;
    }
    return resource.parent ? ownerOf(resource.parent) : undefined;
  };
  return new Map(resources.map((resource) => [resource.urn, ownerOf(resource.urn)]));
}

/** The name at the end of a URN. */
function nameOf(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

/** The URN inside a provider reference, which is `<urn>::<id>`. */
function providerUrn(reference: string): string {
  return reference.slice(0, reference.lastIndexOf("::"));
}

describe("hosts of a site", () => {
  let owners: Map<string, string | undefined>;

  before(async () => {
    await setupMocks({ config: { ...fiveHosts, ...secrets }, secretKeys: Object.keys(secrets) });
    const program = declareProgram(readPulumiConfig(makeProjectDir()));
    await promiseOf(program.site.hosts);
    await settle();
    owners = ownersByUrn(recorded.resources);
  });

  it("record the dependencies within each host, so that the checks below have data to check", () => {
    for (const host of hostNames) {
      const orchestrator = resourceNamed(`acme-edge-${host}-orchestrator`);
      const watchtower = resourceNamed(`acme-edge-${host}-watchtower`);
      assert.ok(watchtower.dependencies.includes(orchestrator.urn), host);
    }
    const copy = resourceNamed("acme-edge-edge-3-config-file-api-registry-yaml");
    assert.ok(resourceNamed("acme-edge-edge-3-orchestrator").dependencies.includes(copy.urn));
    const fleetHosts = recorded.resources.filter((resource) => resource.type === fleetHostType);
    assert.deepEqual(
      fleetHosts.map((resource) => resource.name),
      hostNames.map((host) => `acme-edge-${host}`),
    );
  });

  it("depend on nothing outside their own host", () => {
    const outside: string[] = [];
    for (const resource of recorded.resources) {
      const owner = owners.get(resource.urn);
      for (const dependency of resource.dependencies) {
        if (owner && owners.get(dependency) !== owner) {
          outside.push(`${resource.name} -> ${dependency}`);
        }
      }
    }
    assert.deepEqual(outside, []);
  });

  it("never depend on another host's component", () => {
    // The SDK sends a dependency on a component as dependencies on the custom resources beneath
    // it (and a dependency on the Site as all of them), so one shows up as the hosts reached.
    const reached = new Map<string, Set<string>>();
    for (const resource of recorded.resources) {
      const owner = owners.get(resource.urn);
      for (const dependency of resource.dependencies) {
        const dependencyOwner = owners.get(dependency);
        if (owner && dependencyOwner && dependencyOwner !== owner) {
          const hosts = reached.get(owner) ?? new Set<string>();
          reached.set(owner, hosts.add(nameOf(dependencyOwner)));
        }
      }
    }
    assert.deepEqual(
      [...reached].map(([host, others]) => `${nameOf(host)} -> ${[...others].join(", ")}`),
      [],
    );
  });

  it("each reach their engine through their own provider and clear containers with their own hook", () => {
    for (const resource of recorded.resources) {
      const owner = owners.get(resource.urn);
      if (resource.provider !== "") {
        assert.equal(owners.get(providerUrn(resource.provider)), owner, resource.name);
      }
      const ownerName = owner && nameOf(owner);
      assert.deepEqual(
        resource.beforeCreateHooks.filter((hook) => hook !== `${ownerName}-clear-stale-container`),
        [],
        resource.name,
      );
    }
  });
});
