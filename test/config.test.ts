// The config schema: defaults, the shipped stacks, and one case per kind of bad input, each with
// the exact message a user sees.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

import { imageReference, parseFleetConfig } from "../components/config";
import { FleetConfigError } from "../components/configProblems";
import { defaultHealthcheckCommand } from "../components/configSchema";
import { readStackFile } from "../components/stackFile";
import { listStacks } from "../scripts/list-stacks";
import { makeProjectDir, rawInput, validValues } from "./fixtures";

const repoRoot = path.resolve(__dirname, "..");

/** The problems a config raises, as `path: message` lines. */
function problemsOf(
  values: Record<string, unknown>,
  projectDir: string,
  secretKeys: string[] = [],
): string[] {
  try {
    parseFleetConfig(rawInput(values, projectDir, secretKeys));
  } catch (error) {
    assert.ok(
      error instanceof FleetConfigError,
      `expected a FleetConfigError, got ${String(error)}`,
    );
    return error.problems.map((problem) => `${problem.path}: ${problem.message}`);
  }
  return [];
}

describe("parseFleetConfig", () => {
  it("fills every default for the smallest valid site", () => {
    const projectDir = makeProjectDir();
    const config = parseFleetConfig(rawInput(validValues(), projectDir));
    assert.deepEqual(config.image, {
      registry: "ghcr.io",
      owner: "acme",
      name: "autonomy-orchestrator",
      tag: "autonomy-latest",
    });
    assert.deepEqual(config.hosts, [{ name: "edge-1", dockerSocket: "/var/run/docker.sock" }]);
    assert.equal(config.orchestrator.containerName, "vtuber_orchestrator");
    assert.equal(config.orchestrator.hostPort, 8082);
    assert.equal(config.orchestrator.logLevel, "INFO");
    assert.equal(config.orchestrator.ollamaHost, "http://vtuber-ollama:11434");
    assert.equal(config.orchestrator.configDir, path.join(projectDir, "config", "acme-edge"));
    assert.deepEqual(config.orchestrator.configFiles, ["api_registry.yaml"]);
    assert.match(config.orchestrator.configHash, /^[0-9a-f]{64}$/);
    assert.deepEqual(config.orchestrator.healthcheck.command, defaultHealthcheckCommand);
    assert.deepEqual(config.watchtower, {
      image: "nickfedor/watchtower:1.21.0",
      containerName: "watchtower_orchestrator",
      intervalSeconds: 60,
      debug: false,
      scope: "orchestrator-cluster",
      cleanup: true,
      rollingRestart: true,
    });
    assert.equal(config.ollama.enabled, false);
    assert.deepEqual(config.logging, { maxSize: "10m", maxFiles: 3 });
  });

  it("keeps an explicit false and 0-like values instead of replacing them with defaults", () => {
    const values = { ...validValues(), watchtower: { cleanup: false, rollingRestart: false } };
    const config = parseFleetConfig(rawInput(values, makeProjectDir()));
    assert.equal(config.watchtower.cleanup, false);
    assert.equal(config.watchtower.rollingRestart, false);
  });

  it("hashes the config directory so that any change to a file changes the hash", () => {
    const projectDir = makeProjectDir();
    const before = parseFleetConfig(rawInput(validValues(), projectDir)).orchestrator.configHash;
    fs.writeFileSync(
      path.join(projectDir, "config", "acme-edge", "api_registry.yaml"),
      "apis: [a]\n",
    );
    const after = parseFleetConfig(rawInput(validValues(), projectDir)).orchestrator.configHash;
    assert.notEqual(after, before);
  });

  it("builds the literal tag reference, or the digest reference when pinned", () => {
    const image = {
      registry: "ghcr.io",
      owner: "Acme",
      name: "autonomy-orchestrator",
      tag: "autonomy-latest",
    };
    assert.equal(imageReference(image), "ghcr.io/acme/autonomy-orchestrator:autonomy-latest");
    const digest = `sha256:${"a".repeat(64)}`;
    assert.equal(
      imageReference({ ...image, digest }),
      `ghcr.io/acme/autonomy-orchestrator@${digest}`,
    );
  });
});

describe("the shipped stacks", () => {
  const committed = listStacks(fs.readdirSync(repoRoot));

  it("include the dev stack and the site template", () => {
    assert.ok(committed.includes("dev") && committed.includes("acme-edge"), committed.join(", "));
  });

  for (const stack of committed) {
    it(`Pulumi.${stack}.yaml passes the config schema`, () => {
      const input = readStackFile(path.join(repoRoot, `Pulumi.${stack}.yaml`), repoRoot);
      const config = parseFleetConfig(input);
      assert.equal(config.site, stack);
    });
  }

  it("the dev stack runs one host on the local engine and needs no secret", () => {
    const input = readStackFile(path.join(repoRoot, "Pulumi.dev.yaml"), repoRoot);
    const config = parseFleetConfig(input);
    assert.equal(input.secretKeys.size, 0);
    assert.deepEqual(
      config.hosts.map((host) => host.ssh),
      [undefined],
    );
  });

  it("the site template has two ssh hosts", () => {
    const config = parseFleetConfig(
      readStackFile(path.join(repoRoot, "Pulumi.acme-edge.yaml"), repoRoot),
    );
    assert.deepEqual(
      config.hosts.map((host) => host.ssh?.host),
      ["edge-1.example.internal", "edge-2.example.internal"],
    );
  });
});

const digestRule = "must be sha256: followed by 64 lowercase hex digits";
const nameRule = "must be lowercase letters, digits and dashes (1-63, no leading or trailing dash)";

/** Each bad input, the values that produce it, and the exact problems reported. */
const badInputs: {
  case: string;
  values: (values: Record<string, unknown>) => Record<string, unknown>;
  secretKeys?: string[];
  problems: string[];
}[] = [
  {
    case: "missing site",
    values: ({ site: _site, ...rest }) => rest,
    problems: [`site: ${nameRule}; received nothing`],
  },
  {
    case: "missing owner",
    values: (values) => ({ ...values, image: {} }),
    problems: [
      "image.owner: must be a GitHub org or user: letters, digits and inner dashes; received nothing",
    ],
  },
  {
    case: "bad site name",
    values: (values) => ({ ...values, site: "Acme_Edge" }),
    problems: [`site: ${nameRule}; received "Acme_Edge"`],
  },
  {
    case: "bad host name",
    values: (values) => ({ ...values, hosts: [{ name: "edge 1" }] }),
    problems: [`hosts[0].name: ${nameRule}; received "edge 1"`],
  },
  {
    case: "bad container name",
    values: (values) => ({ ...values, orchestrator: { containerName: "-bad" } }),
    problems: [
      "orchestrator.containerName: must be a Docker name: letters, digits, '_', '.', '-', " +
        'starting with a letter or digit; received "-bad"',
    ],
  },
  {
    case: "duplicate host names",
    values: (values) => ({
      ...values,
      hosts: [{ name: "edge-1" }, { name: "edge-2" }, { name: "edge-1" }],
    }),
    problems: [
      'hosts[2].name: must be unique in the stack; received "edge-1", already used by hosts[0]',
    ],
  },
  {
    case: "ssh port out of range",
    values: (values) => ({
      ...values,
      hosts: [
        { name: "edge-1" },
        { name: "edge-2", ssh: { host: "edge-2.lan", user: "deploy", port: 70000 } },
      ],
    }),
    secretKeys: ["sshPrivateKey"],
    problems: ["hosts[1].ssh.port: must be an integer from 1 to 65535; received 70000"],
  },
  {
    case: "host port out of range",
    values: (values) => ({ ...values, orchestrator: { hostPort: 0 } }),
    problems: ["orchestrator.hostPort: must be an integer from 1 to 65535; received 0"],
  },
  {
    case: "bad digest",
    values: (values) => ({ ...values, image: { owner: "acme", digest: "sha256:1234" } }),
    problems: [`image.digest: ${digestRule}; received "sha256:1234"`],
  },
  {
    case: "interval below 10 s",
    values: (values) => ({ ...values, watchtower: { intervalSeconds: 9 } }),
    problems: ["watchtower.intervalSeconds: must be an integer from 10 to 604800; received 9"],
  },
  {
    case: "unknown log level",
    values: (values) => ({ ...values, orchestrator: { logLevel: "TRACE" } }),
    problems: [
      'orchestrator.logLevel: must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL; received "TRACE"',
    ],
  },
  {
    case: "ssh host without sshPrivateKey or useAgent",
    values: (values) => ({
      ...values,
      hosts: [{ name: "edge-1", ssh: { host: "10.0.0.5", user: "deploy" } }],
    }),
    problems: [
      "hosts[0].ssh: needs a key: set sshPrivateKey with `pulumi config set --secret sshPrivateKey < key`, " +
        "or set ssh.useAgent: true to use the SSH agent; received neither",
    ],
  },
  {
    case: "registryUser without registryToken",
    values: (values) => ({ ...values, registryUser: "ci-bot" }),
    problems: [
      "registryToken: must be set when registryUser is (a token with read:packages); received nothing. " +
        "Run `pulumi config set --secret registryToken <token>`",
    ],
  },
  {
    case: "a secret set in plain text, its value kept out of the message",
    values: (values) => ({
      ...values,
      registryUser: "ci-bot",
      registryToken: "ghp_plaintexttoken",
    }),
    problems: [
      "registryToken: must be set as a secret; received a plain value (not shown). Run " +
        "`pulumi config set --secret registryToken <value>` and remove the plain entry",
    ],
  },
  {
    case: "a registry user that is no GitHub login",
    values: (values) => ({ ...values, registryUser: "ci bot" }),
    secretKeys: ["registryToken"],
    problems: ['registryUser: must be the GitHub user of registryToken; received "ci bot"'],
  },
  {
    case: "unknown top-level key",
    values: (values) => ({ ...values, hostz: [] }),
    problems: [
      "hostz: is not a known key; allowed keys: site, image, hosts, orchestrator, watchtower, ollama, " +
        "logging, registryUser, github, registryToken, sshPrivateKey, notificationUrl, workflowSecrets",
    ],
  },
  {
    case: "unknown nested key",
    values: (values) => ({ ...values, hosts: [{ name: "edge-1", sshh: {} }] }),
    problems: [
      "hosts[0].sshh: is not a known key; allowed keys: name, ssh, dockerSocket, address, configPath",
    ],
  },
  {
    case: "reserved orchestrator env",
    values: (values) => ({ ...values, orchestrator: { env: { LOG_LEVEL: "DEBUG" } } }),
    problems: [
      "orchestrator.env.LOG_LEVEL: is set by the program and cannot be overridden here (reserved: " +
        'PYTHONUNBUFFERED, LOG_LEVEL, OLLAMA_HOST, API_REGISTRY_PATH); received "LOG_LEVEL". ' +
        "Use orchestrator.logLevel or orchestrator.ollamaHost instead",
    ],
  },
  {
    case: "no hosts",
    values: (values) => ({ ...values, hosts: [] }),
    problems: [
      "hosts: must list at least one host (name, and ssh for a remote engine), unless the stack " +
        "declares the GitHub side with `github`; received an empty list",
    ],
  },
];

describe("bad stack config", () => {
  for (const bad of badInputs) {
    it(`reports ${bad.case}`, () => {
      const values = bad.values(validValues());
      assert.deepEqual(problemsOf(values, makeProjectDir(), bad.secretKeys), bad.problems);
    });
  }

  it("reports a missing config directory", () => {
    const projectDir = makeProjectDir("other-site");
    const dir = path.join(projectDir, "config", "acme-edge");
    assert.deepEqual(problemsOf(validValues(), projectDir), [
      `orchestrator.configDir: must be an existing directory holding api_registry.yaml; received ${dir}, which does not exist`,
    ]);
  });

  it("reports a config directory without api_registry.yaml", () => {
    const projectDir = makeProjectDir();
    const dir = path.join(projectDir, "config", "acme-edge");
    fs.renameSync(path.join(dir, "api_registry.yaml"), path.join(dir, "registry.yaml"));
    assert.deepEqual(problemsOf(validValues(), projectDir), [
      `orchestrator.configDir: must hold api_registry.yaml (mounted as /config/api_registry.yaml); received ${dir} without it`,
    ]);
  });

  it("reports unparseable YAML in the config directory with file and line", () => {
    const projectDir = makeProjectDir("acme-edge", "apis:\n  - name: a\n   bad: [\n");
    const [problem] = problemsOf(validValues(), projectDir);
    assert.match(
      problem,
      /^orchestrator\.configDir: must hold valid YAML; api_registry\.yaml line \d+: /,
    );
  });

  it("reports every problem at once, in one error", () => {
    const values = {
      ...validValues(),
      site: "Bad Site",
      hosts: [{ name: "edge-1" }, { name: "edge-1" }],
      watchtower: { intervalSeconds: 1 },
    };
    const problems = problemsOf(values, makeProjectDir());
    assert.equal(problems.length, 3);
    assert.throws(
      () => parseFleetConfig(rawInput(values, makeProjectDir())),
      (error: Error) =>
        error.message.startsWith("Invalid stack config for orchestrator-fleet (3 problems):\n"),
    );
  });
});
