// Turns a stack's raw config into the typed FleetConfig the program is built from, or throws one
// FleetConfigError that lists every problem. Pure apart from reading the site's config directory,
// so it runs (and is tested) before any resource is declared.
import * as path from "node:path";

import type { z } from "zod";

import { inspectConfigDir } from "./configDir";
import { describeReceived, FleetConfigError, formatPath } from "./configProblems";
import type { ConfigProblem } from "./configProblems";
import { fleetSchema, reservedOrchestratorEnv } from "./configSchema";
import type { GithubConfig } from "./githubConfig";
import { parseGithubConfig } from "./githubConfig";
import type { FleetSchemaOutput } from "./configSchema";

/** Config keys that hold secrets: never parsed by the schema, never echoed in an error. */
export const secretKeys = ["registryToken", "sshPrivateKey", "notificationUrl"] as const;

/** Every key the program reads, without the `orchestrator-fleet:` namespace. */
export const knownKeys = [
  ...Object.keys(fleetSchema.shape),
  "github",
  ...secretKeys,
  "workflowSecrets",
];

/** A stack's config as read from Pulumi (or a Pulumi.<stack>.yaml file), before validation. */
export interface RawConfigInput {
  /** Values by key without the namespace; objects already parsed. Secret values may be absent. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Keys that were set with `--secret`. */
  readonly secretKeys: ReadonlySet<string>;
  /**
   * Plain values of secret keys that need checking beyond their presence (`workflowSecrets`).
   * Only their names, types and sizes may appear in a problem; absent when not decrypted.
   */
  readonly secretValues?: Readonly<Record<string, unknown>>;
  /** The directory holding Pulumi.yaml; relative paths in the config resolve against it. */
  readonly projectDir: string;
}

export type ImageConfig = FleetSchemaOutput["image"];
export type HostConfig = FleetSchemaOutput["hosts"][number];
export type SshConfig = NonNullable<HostConfig["ssh"]>;
export type WatchtowerConfig = FleetSchemaOutput["watchtower"];
export type OllamaConfig = FleetSchemaOutput["ollama"];
export type LoggingConfig = FleetSchemaOutput["logging"];

export type OrchestratorConfig = Omit<FleetSchemaOutput["orchestrator"], "configDir"> & {
  /** Absolute path of the site's config directory on the machine running Pulumi. */
  readonly configDir: string;
  /** sha256 over the directory's file names and contents. */
  readonly configHash: string;
  /** Paths of the directory's files, relative to it, sorted. */
  readonly configFiles: readonly string[];
};

/** The validated config of one site. */
export interface FleetConfig {
  readonly site: string;
  readonly image: ImageConfig;
  readonly hosts: readonly HostConfig[];
  readonly orchestrator: OrchestratorConfig;
  readonly watchtower: WatchtowerConfig;
  readonly ollama: OllamaConfig;
  readonly logging: LoggingConfig;
  /** Registry login for a private package; the token itself stays in the secret config. */
  readonly registryUser?: string;
  /** Which of the secret keys are set. */
  readonly secrets: Readonly<Record<(typeof secretKeys)[number], boolean>>;
  /** The GitHub side, when the stack declares it. */
  readonly github?: GithubConfig;
}

/** The reference containers run: `registry/owner/name:tag`, or `@sha256:...` when pinned. */
export function imageReference(image: ImageConfig): string {
  // Registries take lowercase repository names only, while GitHub logins may have capitals.
  const repository = `${image.registry}/${image.owner.toLowerCase()}/${image.name}`;
  return image.digest ? `${repository}@${image.digest}` : `${repository}:${image.tag}`;
}

/** The keys the schema allows in the object at a path, e.g. `hosts[0].ssh`. */
function allowedKeysAt(pathSegments: readonly PropertyKey[]): string[] {
  let schema: z.core.$ZodType = fleetSchema;
  const unwrap = (current: z.core.$ZodType): z.core.$ZodType => {
    const def = current._zod.def as { innerType?: z.core.$ZodType; element?: z.core.$ZodType };
    return def.innerType ? unwrap(def.innerType) : current;
  };
  for (const segment of pathSegments) {
    schema = unwrap(schema);
    const def = schema._zod.def as {
      element?: z.core.$ZodType;
      shape?: Record<string, z.core.$ZodType>;
    };
    schema = typeof segment === "number" ? def.element! : def.shape![String(segment)];
  }
  const shape = (unwrap(schema)._zod.def as { shape?: Record<string, unknown> }).shape ?? {};
  return Object.keys(shape);
}

function schemaProblems(
  error: z.ZodError,
  values: Readonly<Record<string, unknown>>,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        problems.push({
          path: formatPath([...issue.path, key]),
          message: `is not a known key; allowed keys: ${allowedKeysAt(issue.path).join(", ")}`,
        });
      }
      continue;
    }
    const received = issue.path.reduce<unknown>(
      (value, segment) => (value as Record<PropertyKey, unknown> | undefined)?.[segment],
      values,
    );
    problems.push({
      path: formatPath(issue.path),
      message: `${issue.message}; received ${describeReceived(received)}`,
    });
  }
  return problems;
}

function secretProblems(input: RawConfigInput): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const key of secretKeys) {
    if (key in input.values && !input.secretKeys.has(key)) {
      problems.push({
        path: key,
        message:
          `must be set as a secret; received a plain value (not shown). Run ` +
          `\`pulumi config set --secret ${key} <value>\` and remove the plain entry`,
      });
    }
  }
  return problems;
}

function isSet(input: RawConfigInput, key: string): boolean {
  return input.secretKeys.has(key) || input.values[key] !== undefined;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/**
 * Checks across keys. They read the raw values defensively, so they run (and report) even when
 * the schema found problems elsewhere.
 */
function crossProblems(input: RawConfigInput): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const hosts = Array.isArray(input.values.hosts) ? input.values.hosts : [];
  const seen = new Map<unknown, number>();
  hosts.forEach((entry, index) => {
    const host = asRecord(entry);
    const first = seen.get(host.name);
    if (typeof host.name === "string" && first !== undefined) {
      problems.push({
        path: `hosts[${index}].name`,
        message: `must be unique in the stack; received "${host.name}", already used by hosts[${first}]`,
      });
    } else {
      seen.set(host.name, index);
    }
    const ssh = host.ssh === undefined ? undefined : asRecord(host.ssh);
    if (ssh && ssh.useAgent !== true && !isSet(input, "sshPrivateKey")) {
      problems.push({
        path: `hosts[${index}].ssh`,
        message:
          "needs a key: set sshPrivateKey with `pulumi config set --secret sshPrivateKey < key`, " +
          "or set ssh.useAgent: true to use the SSH agent; received neither",
      });
    }
  });
  if (hosts.length === 0 && input.values.github === undefined) {
    const received = Array.isArray(input.values.hosts)
      ? "an empty list"
      : describeReceived(input.values.hosts);
    problems.push({
      path: "hosts",
      message:
        "must list at least one host (name, and ssh for a remote engine), unless the stack " +
        `declares the GitHub side with \`github\`; received ${received}`,
    });
  }
  if (isSet(input, "registryUser") && !isSet(input, "registryToken")) {
    problems.push({
      path: "registryToken",
      message:
        "must be set when registryUser is (a token with read:packages); received nothing. " +
        "Run `pulumi config set --secret registryToken <token>`",
    });
  }
  if (isSet(input, "registryToken") && !isSet(input, "registryUser")) {
    problems.push({
      path: "registryUser",
      message: "must be set when registryToken is (the token's GitHub user); received nothing",
    });
  }
  for (const name of Object.keys(asRecord(asRecord(input.values.orchestrator).env))) {
    if ((reservedOrchestratorEnv as readonly string[]).includes(name)) {
      problems.push({
        path: `orchestrator.env.${name}`,
        message:
          `is set by the program and cannot be overridden here (reserved: ${reservedOrchestratorEnv.join(", ")}); ` +
          `received "${name}". Use orchestrator.logLevel or orchestrator.ollamaHost instead`,
      });
    }
  }
  return problems;
}

/** The site's config directory as configured, when site and configDir are usable strings. */
function configDirSetting(input: RawConfigInput): string | undefined {
  const configDir = asRecord(input.values.orchestrator).configDir;
  if (typeof configDir === "string") {
    return configDir;
  }
  // An invalid site is reported already; a directory named after it would only add noise.
  const site = fleetSchema.shape.site.safeParse(input.values.site);
  return site.success ? path.join("config", site.data) : undefined;
}

/**
 * Validates a stack's raw config. Throws a FleetConfigError listing every problem, each with its
 * key path, what is allowed and what was received; secret values never appear in it.
 */
export function parseFleetConfig(input: RawConfigInput): FleetConfig {
  const problems: ConfigProblem[] = [];
  for (const key of Object.keys(input.values)) {
    if (!knownKeys.includes(key)) {
      problems.push({
        path: key,
        message: `is not a known key; allowed keys: ${knownKeys.join(", ")}`,
      });
    }
  }
  problems.push(...secretProblems(input));

  const result = fleetSchema.safeParse(input.values);
  if (!result.success) {
    problems.push(...schemaProblems(result.error, input.values));
  }
  problems.push(...crossProblems(input));
  // Without hosts (the GitHub side alone) no orchestrator runs, so no config directory is needed.
  const needsConfigDir = Array.isArray(input.values.hosts) && input.values.hosts.length > 0;
  const configDirPath = needsConfigDir ? configDirSetting(input) : undefined;
  const configDir = configDirPath
    ? inspectConfigDir(path.resolve(input.projectDir, configDirPath))
    : undefined;
  problems.push(...(configDir?.problems ?? []));

  const github = parseGithubConfig({
    github: input.values.github,
    workflowSecrets: input.values.workflowSecrets ?? input.secretValues?.workflowSecrets,
    workflowSecretsIsSecret: input.secretKeys.has("workflowSecrets"),
    imageName: result.success ? imageReference(result.data.image) : undefined,
  });
  problems.push(...github.problems);
  if (!result.success || (needsConfigDir && !configDir) || problems.length > 0) {
    throw new FleetConfigError(problems);
  }

  const parsed = result.data;
  return {
    site: parsed.site,
    image: parsed.image,
    hosts: parsed.hosts,
    orchestrator: {
      ...parsed.orchestrator,
      configDir: configDir?.path ?? "",
      configHash: configDir?.hash ?? "",
      configFiles: configDir?.files ?? [],
    },
    watchtower: parsed.watchtower,
    ollama: parsed.ollama,
    logging: parsed.logging,
    registryUser: parsed.registryUser,
    secrets: {
      registryToken: isSet(input, "registryToken"),
      sshPrivateKey: isSet(input, "sshPrivateKey"),
      notificationUrl: isSet(input, "notificationUrl"),
    },
    github: github.config,
  };
}
