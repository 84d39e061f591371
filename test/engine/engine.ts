// What every test against a real Docker engine shares: finding the engine, skipping (or, where CI
// requires the engine, failing) when there is none, the images `.ci/start-engine` builds, and
// removing every container a test made.
import Docker from "dockerode";

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { test } from "node:test";
import type { TestContext } from "node:test";

/** The plain-HTTP registry `.ci/start-engine` runs. */
export const testRegistry = "127.0.0.1:5000";
export const testRegistryUrl = `http://${testRegistry}`;

/** Images `.ci/start-engine` builds from busybox-static and pushes to the test registry. */
export const testImages = {
  /** Serves `/health` on 8080 while `/www/health` exists. */
  orchestratorV1: `${testRegistry}/fleet-test/orchestrator:v1`,
  /** Same behaviour, different content, so a different digest. */
  orchestratorV2: `${testRegistry}/fleet-test/orchestrator:v2`,
  /** Sleeps, whatever its flags: stands in for Watchtower. */
  watchtower: `${testRegistry}/fleet-test/watchtower:1.21.0`,
} as const;

/** The sshd `.ci/start-engine` runs on loopback, with the key it made for the tests. */
export const testSsh = {
  host: "127.0.0.1",
  user: "root",
  port: 2222,
  keyFile: path.join(
    process.env.FLEET_ENGINE_STATE_DIR ?? "/tmp/orchestrator-fleet-engine",
    "ssh",
    "id_ed25519",
  ),
} as const;

/** Marks every container the engine tests create, so that cleanup finds them all. */
export const testRunLabel = "dev.orchestrator-fleet.test-run";
const testCaseLabel = "dev.orchestrator-fleet.test-case";

/** One run of the test files; container names and labels carry it so parallel runs never meet. */
export const runId = randomBytes(4).toString("hex");

const startEngineHint = "run `bash .ci/start-engine` as root to start one";

/** Where the tests find the engine: DOCKER_HOST when set, else the default socket. */
function engineFromEnvironment():
  { docker: Docker; where: string; socketPath?: string } | { reason: string } {
  const dockerHost = process.env.DOCKER_HOST;
  if (dockerHost !== undefined && dockerHost !== "") {
    if (dockerHost.startsWith("unix://")) {
      const socketPath = dockerHost.slice("unix://".length);
      return { docker: new Docker({ socketPath }), where: dockerHost, socketPath };
    }
    // dockerode reads tcp:// and ssh:// DOCKER_HOST values itself.
    return { docker: new Docker(), where: dockerHost };
  }
  if (!fs.existsSync("/var/run/docker.sock")) {
    return {
      reason: `no Docker engine: DOCKER_HOST is not set and /var/run/docker.sock does not exist; ${startEngineHint}`,
    };
  }
  const socketPath = "/var/run/docker.sock";
  return { docker: new Docker({ socketPath }), where: `unix://${socketPath}`, socketPath };
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** An engine that answered, and its unix socket when it is reached through one. */
export interface TestEngine {
  readonly docker: Docker;
  readonly socketPath?: string;
}

async function probeEngine(): Promise<TestEngine | { reason: string }> {
  const found = engineFromEnvironment();
  if ("reason" in found) {
    return found;
  }
  try {
    await withTimeout(found.docker.ping(), 5000, `the Docker engine at ${found.where}`);
  } catch (error) {
    return {
      reason: `no Docker engine answers at ${found.where} (${(error as Error).message}); ${startEngineHint}`,
    };
  }
  for (const image of Object.values(testImages)) {
    try {
      await found.docker.getImage(image).inspect();
    } catch {
      return { reason: `the test image ${image} is missing on ${found.where}; ${startEngineHint}` };
    }
  }
  return { docker: found.docker, socketPath: found.socketPath };
}

let probed: Promise<TestEngine | { reason: string }> | undefined;

/** The engine, probed once per test file. */
export function engineOrReason(): Promise<TestEngine | { reason: string }> {
  probed ??= probeEngine();
  return probed;
}

function portAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Why the ssh tests cannot run, or undefined when the test sshd and its key are there. */
async function sshUnavailable(): Promise<string | undefined> {
  if (!fs.existsSync(testSsh.keyFile)) {
    return `the test SSH key ${testSsh.keyFile} is missing; ${startEngineHint}`;
  }
  if (!(await portAnswers(testSsh.host, testSsh.port))) {
    return `no sshd answers on ${testSsh.host}:${testSsh.port}; ${startEngineHint}`;
  }
  return undefined;
}

/** Names and labels one test gives the containers it creates, and their removal. */
export class TestScope {
  readonly docker: Docker;
  readonly socketPath?: string;
  readonly caseId: string;
  private counter = 0;
  private readonly imageTags: string[] = [];

  constructor(engine: TestEngine) {
    this.docker = engine.docker;
    this.socketPath = engine.socketPath;
    this.caseId = `${runId}-${randomBytes(3).toString("hex")}`;
  }

  /** A container name no other test or run uses. */
  name(role: string): string {
    this.counter += 1;
    return `fleet-test-${this.caseId}-${role}-${this.counter}`;
  }

  /** Labels that tie a container to this test, for cleanup. */
  get labels(): Record<string, string> {
    return { [testRunLabel]: runId, [testCaseLabel]: this.caseId };
  }

  /** Creates (and by default starts) a container carrying this test's labels. */
  async run(
    options: Docker.ContainerCreateOptions & { start?: boolean },
  ): Promise<Docker.Container> {
    const { start = true, ...create } = options;
    const container = await this.docker.createContainer({
      ...create,
      Labels: { ...create.Labels, ...this.labels },
    });
    if (start) {
      await container.start();
    }
    return container;
  }

  /** Tags the local image `source` as `target`; the tag goes away with the test. */
  async tag(source: string, target: string): Promise<void> {
    const at = target.lastIndexOf(":");
    await this.docker
      .getImage(source)
      .tag({ repo: target.slice(0, at), tag: target.slice(at + 1) });
    this.imageTags.push(target);
  }

  /** Pushes a local tag to the test registry and fails on any error the push reports. */
  async push(reference: string): Promise<void> {
    // Debian 12's engine (20.10, API 1.41) answers a push without X-Registry-Auth with "Bad
    // parameters and missing X-Registry-Auth"; an empty login is enough for the test registry.
    const stream = await this.docker
      .getImage(reference)
      .push({ authconfig: { serveraddress: testRegistry } });
    const events = await new Promise<{ error?: string }[]>((resolve, reject) =>
      this.docker.modem.followProgress(
        stream,
        (error: Error | null, output: { error?: string }[]) =>
          error ? reject(error) : resolve(output),
      ),
    );
    const failed = events.find((event) => event.error !== undefined);
    assert.equal(failed, undefined, `push of ${reference} failed: ${failed?.error}`);
  }

  /** Removes every container this test created, whatever its state, and its image tags. */
  async cleanUp(): Promise<void> {
    const mine = await this.docker.listContainers({
      all: true,
      filters: { label: [`${testCaseLabel}=${this.caseId}`] },
    });
    await Promise.all(
      mine.map((container) =>
        this.docker
          .getContainer(container.Id)
          .remove({ force: true })
          .catch(() => undefined),
      ),
    );
    for (const tag of this.imageTags) {
      // Untags only: the image stays while other tags (the base test images) point at it.
      await this.docker
        .getImage(tag)
        .remove({ noprune: true })
        .catch(() => undefined);
    }
  }
}

/**
 * Declares a test that needs the engine. Without one it is skipped with the reason, unless
 * REQUIRE_DOCKER_ENGINE=1 (set by `.ci/run`), where a missing engine fails it instead: CI must not
 * pass by skipping the tests that matter.
 */
export function engineTest(
  name: string,
  body: (scope: TestScope, t: TestContext) => Promise<void>,
  options: { needsSsh?: boolean } = {},
): void {
  test(name, async (t) => {
    const engine = await engineOrReason();
    const reason =
      "reason" in engine ? engine.reason : options.needsSsh ? await sshUnavailable() : undefined;
    if (reason !== undefined || "reason" in engine) {
      if (process.env.REQUIRE_DOCKER_ENGINE === "1") {
        assert.fail(`REQUIRE_DOCKER_ENGINE=1 but ${reason}`);
      }
      t.skip(reason);
      return;
    }
    const scope = new TestScope(engine);
    t.after(() => scope.cleanUp());
    await body(scope, t);
  });
}

/** Polls until `check` returns a value other than undefined, or fails after `ms`. */
export async function eventually<T>(
  what: string,
  ms: number,
  check: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      assert.fail(`${what} did not happen within ${ms} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** True when the engine has no container with this ID or name. */
export async function isGone(docker: Docker, idOrName: string): Promise<boolean> {
  try {
    await docker.getContainer(idOrName).inspect();
    return false;
  } catch (error) {
    return (error as { statusCode?: number }).statusCode === 404;
  }
}
