// The shape of a stack's config: one zod schema per block, with the defaults from the README's
// config reference. Every rule carries the sentence the user sees ("must be ..."); the received
// value is added when the error is reported (see config.ts).
import { z } from "zod";

/** A name that works as a stack, site, host or DNS label. */
const dnsLabelPattern = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const dnsLabelRule = "lowercase letters, digits and dashes (1-63, no leading or trailing dash)";

/** GitHub logins: alphanumerics and single inner dashes, at most 39 characters. */
const githubLoginPattern = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

/** One path component of an OCI repository name (distribution/reference grammar). */
const repositoryPattern =
  /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/** OCI tags: up to 128 word characters, dots and dashes, not starting with either. */
const tagPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Docker container and volume names. */
const containerNamePattern = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/;
const containerNameRule =
  "a Docker name: letters, digits, '_', '.', '-', starting with a letter or digit";

const hostnamePattern =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const ipv4Pattern = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/;
const ipv6Pattern = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$/;

const absolutePathPattern = /^\/[A-Za-z0-9._/-]*$/;
const absolutePathRule = "an absolute path of letters, digits, '.', '_', '-' and '/'";

function text(pattern: RegExp, rule: string) {
  return z.string({ error: `must be ${rule}` }).regex(pattern, { error: `must be ${rule}` });
}

function integer(min: number, max: number) {
  const rule = `must be an integer from ${min} to ${max}`;
  return z.int({ error: rule }).min(min, { error: rule }).max(max, { error: rule });
}

function flag() {
  return z.boolean({ error: "must be true or false" });
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of ${values.join(", ")}` });
}

const hostAddress = z
  .string({ error: "must be a hostname or an IP address" })
  .refine(
    (value) => hostnamePattern.test(value) || ipv4Pattern.test(value) || ipv6Pattern.test(value),
    {
      error: "must be a hostname or an IP address",
    },
  );

export const logLevels = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] as const;

/** Environment variables the program sets itself; `orchestrator.env` may not override them. */
export const reservedOrchestratorEnv = [
  "PYTHONUNBUFFERED",
  "LOG_LEVEL",
  "OLLAMA_HOST",
  "API_REGISTRY_PATH",
] as const;

export const defaultDockerSocket = "/var/run/docker.sock";

/**
 * The healthcheck needs no curl or wget: Python's standard library is in every Python image.
 * A non-2xx answer or a refused connection raises, and Docker counts the non-zero exit as a failure.
 */
export const defaultHealthcheckCommand = [
  "CMD",
  "python",
  "-c",
  "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/health', timeout=4)",
];

export const imageSchema = z.strictObject(
  {
    registry: text(hostnamePattern, "a registry host name such as ghcr.io").default("ghcr.io"),
    owner: text(githubLoginPattern, "a GitHub org or user: letters, digits and inner dashes"),
    name: text(repositoryPattern, "a lowercase image name such as autonomy-orchestrator").default(
      "autonomy-orchestrator",
    ),
    tag: text(tagPattern, "an image tag: letters, digits, '_', '.', '-', at most 128").default(
      "autonomy-latest",
    ),
    digest: text(/^sha256:[a-f0-9]{64}$/, "sha256: followed by 64 lowercase hex digits").optional(),
  },
  { error: "must be an object with owner (required), name, tag, digest, registry" },
);

export const sshSchema = z.strictObject(
  {
    host: hostAddress,
    user: text(/^[a-z_][a-z0-9_.-]{0,31}$/i, "a login name such as deploy"),
    port: integer(1, 65535).default(22),
    useAgent: flag().default(false),
  },
  { error: "must be an object with host, user, port, useAgent" },
);

export const hostSchema = z.strictObject(
  {
    name: text(dnsLabelPattern, dnsLabelRule),
    ssh: sshSchema.optional(),
    dockerSocket: text(absolutePathPattern, absolutePathRule).default(defaultDockerSocket),
    address: hostAddress.optional(),
    configPath: text(absolutePathPattern, absolutePathRule).optional(),
  },
  { error: "must be an object with name, ssh, dockerSocket, address, configPath" },
);

export const healthcheckSchema = z.strictObject(
  {
    command: z
      .array(z.string({ error: "must be a list of strings" }), {
        error: "must be a list of strings",
      })
      .min(2, { error: 'must start with "CMD" or "CMD-SHELL" and name a command' })
      .refine((command) => command[0] === "CMD" || command[0] === "CMD-SHELL", {
        error: 'must start with "CMD" or "CMD-SHELL" and name a command',
      })
      .default(defaultHealthcheckCommand),
    intervalSeconds: integer(1, 3600).default(30),
    timeoutSeconds: integer(1, 3600).default(5),
    retries: integer(1, 100).default(3),
    startPeriodSeconds: integer(0, 3600).default(20),
  },
  {
    error:
      "must be an object with command, intervalSeconds, timeoutSeconds, retries, startPeriodSeconds",
  },
);

export const orchestratorSchema = z.strictObject(
  {
    containerName: text(containerNamePattern, containerNameRule).default("vtuber_orchestrator"),
    hostPort: integer(1, 65535).default(8082),
    bindAddress: hostAddress.default("0.0.0.0"),
    logLevel: oneOf(logLevels).default("INFO"),
    ollamaHost: z
      .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
      .default("http://vtuber-ollama:11434"),
    configDir: z.string({ error: "must be a directory path relative to the project" }).optional(),
    env: z
      .record(
        text(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name"),
        z.string({ error: "must be a string (quote numbers and booleans)" }),
        { error: "must be an object of NAME: value strings" },
      )
      .default({}),
    healthcheck: healthcheckSchema.default(() => healthcheckSchema.parse({})),
    waitTimeoutSeconds: integer(10, 3600).default(180),
  },
  { error: "must be an object (see the README's config reference)" },
);

export const watchtowerSchema = z.strictObject(
  {
    image: text(
      /^[a-z0-9][a-z0-9._/:@-]*$/,
      "an image reference such as nickfedor/watchtower:1.21.0",
    ).default("nickfedor/watchtower:1.21.0"),
    containerName: text(containerNamePattern, containerNameRule).default("watchtower_orchestrator"),
    intervalSeconds: integer(10, 604800).default(60),
    debug: flag().default(false),
    scope: text(/^[A-Za-z0-9_.-]{1,64}$/, "letters, digits, '_', '.', '-' (1-64)").default(
      "orchestrator-cluster",
    ),
    cleanup: flag().default(true),
    rollingRestart: flag().default(true),
  },
  { error: "must be an object (see the README's config reference)" },
);

export const ollamaSchema = z.strictObject(
  {
    enabled: flag().default(false),
    image: text(
      /^[a-z0-9][a-z0-9._/:@-]*$/,
      "an image reference such as ollama/ollama:0.12.6",
    ).default("ollama/ollama:0.12.6"),
    containerName: text(containerNamePattern, containerNameRule).default("vtuber-ollama"),
    modelsVolume: text(containerNamePattern, containerNameRule).default("vtuber-ollama-models"),
  },
  { error: "must be an object with enabled, image, containerName, modelsVolume" },
);

export const loggingSchema = z.strictObject(
  {
    maxSize: text(/^[1-9][0-9]*[kmg]$/, "a size such as 10m (a number and k, m or g)").default(
      "10m",
    ),
    maxFiles: integer(1, 100).default(3),
  },
  { error: "must be an object with maxSize, maxFiles" },
);

/** Every non-secret key of a stack's config, without the `orchestrator-fleet:` namespace. */
export const fleetSchema = z.object({
  site: text(dnsLabelPattern, dnsLabelRule),
  image: imageSchema,
  hosts: z.array(hostSchema, { error: "must be a list of hosts" }).default([]),
  orchestrator: orchestratorSchema.default(() => orchestratorSchema.parse({})),
  watchtower: watchtowerSchema.default(() => watchtowerSchema.parse({})),
  ollama: ollamaSchema.default(() => ollamaSchema.parse({})),
  logging: loggingSchema.default(() => loggingSchema.parse({})),
  registryUser: text(githubLoginPattern, "the GitHub user of registryToken").optional(),
});

export type FleetSchemaOutput = z.output<typeof fleetSchema>;
