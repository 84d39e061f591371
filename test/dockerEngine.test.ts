import assert from "node:assert/strict";
import { test } from "node:test";

import {
  createDockerClient,
  describeClient,
  describeEngine,
  isEngineUnreachable,
} from "../components/dockerEngine";

const ssh = { host: "edge-1.example.internal", user: "deploy", port: 2222 };

test("names a local engine by its socket and a remote one by its ssh address", () => {
  assert.equal(describeEngine({}), "unix:///var/run/docker.sock");
  assert.equal(
    describeEngine({ socketPath: "/run/user/1000/docker.sock" }),
    "unix:///run/user/1000/docker.sock",
  );
  assert.equal(describeEngine({ ssh }), "ssh://deploy@edge-1.example.internal:2222");
});

test("a socket client ignores a tcp DOCKER_HOST left in the environment", () => {
  const saved = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = "tcp://203.0.113.7:2375";
  try {
    const docker = createDockerClient({ socketPath: "/tmp/engine.sock" });
    assert.equal(describeClient(docker), "unix:///tmp/engine.sock");
  } finally {
    if (saved === undefined) {
      delete process.env.DOCKER_HOST;
    } else {
      process.env.DOCKER_HOST = saved;
    }
  }
});

test("an ssh client uses the agent named by SSH_AUTH_SOCK", () => {
  const docker = createDockerClient({ ssh }, { SSH_AUTH_SOCK: __filename });

  assert.equal(describeClient(docker), "ssh://deploy@edge-1.example.internal:2222");
  assert.deepEqual((docker.modem as unknown as { sshOptions: object }).sshOptions, {
    agent: __filename,
    readyTimeout: undefined,
  });
});

test("an ssh client with a private key does not need an agent", () => {
  const privateKey =
    "-----BEGIN OPENSSH PRIVATE KEY-----\nfake\n-----END OPENSSH PRIVATE KEY-----\n";
  const docker = createDockerClient({ ssh: { ...ssh, privateKey }, timeoutMs: 5000 }, {});

  assert.deepEqual((docker.modem as unknown as { sshOptions: object }).sshOptions, {
    privateKey,
    readyTimeout: 5000,
  });
});

test("ssh without a key or an agent fails at once and says how to start an agent", () => {
  assert.throws(() => createDockerClient({ ssh }, {}), {
    message:
      "Cannot sign in to ssh://deploy@edge-1.example.internal:2222: no SSH agent is running here " +
      "(SSH_AUTH_SOCK is not set) and no private key was given. Start an agent and add the host's key " +
      '(`eval "$(ssh-agent)" && ssh-add ~/.ssh/id_ed25519`), or set the stack secret ' +
      "`pulumi config set --secret orchestrator-fleet:sshPrivateKey < key-file`.",
  });
});

test("ssh with SSH_AUTH_SOCK pointing at nothing fails at once and names the path", () => {
  assert.throws(() => createDockerClient({ ssh }, { SSH_AUTH_SOCK: "/tmp/ssh-gone/agent.1" }), {
    message:
      "Cannot sign in to ssh://deploy@edge-1.example.internal:2222: SSH_AUTH_SOCK points at " +
      "/tmp/ssh-gone/agent.1, which does not exist (the agent has stopped, or this shell belongs to " +
      'another session). Start an agent and add the key again: `eval "$(ssh-agent)" && ssh-add ~/.ssh/id_ed25519`.',
  });
});

test("tells connection failures from API errors", () => {
  const cases: [string, unknown, boolean][] = [
    [
      "missing socket",
      Object.assign(new Error("connect ENOENT /x.sock"), { code: "ENOENT" }),
      true,
    ],
    [
      "closed port",
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }),
      true,
    ],
    [
      "ssh auth",
      Object.assign(new Error("All configured authentication methods failed"), {
        level: "client-authentication",
      }),
      true,
    ],
    [
      "404 from the API",
      Object.assign(new Error("(HTTP code 404) no such container"), { statusCode: 404 }),
      false,
    ],
    ["not an error", "ENOENT", false],
  ];
  for (const [label, error, expected] of cases) {
    assert.equal(isEngineUnreachable(error), expected, label);
  }
});
