// The shapes the fleet status passes between its steps: what was read from a host's engine and
// from the registry (facts), and what the report says about them. The report is also the JSON
// that `--json` prints, so its field names are part of the command's interface.

/** What one host should run, derived from the stack's config. */
export interface ExpectedHost {
  readonly host: string;
  /** `unix:///var/run/docker.sock` or `ssh://user@host:port`. */
  readonly engine: string;
  /** The reference the program gives the container: `ghcr.io/acme/name:tag` or `...@sha256:`. */
  readonly imageReference: string;
  /** The stack's `image.digest`: auto-update is off and this digest is what should run. */
  readonly pinnedDigest?: string;
  readonly orchestratorName: string;
  readonly watchtower: {
    readonly containerName: string;
    readonly image: string;
    readonly scope: string;
  };
}

/** What the engine says about itself. */
export interface EngineFacts {
  readonly version: string;
  readonly apiVersion: string;
  /** The oldest API version the engine still accepts; Docker 29 raised it to 1.44. */
  readonly minApiVersion?: string;
}

/** One container as `docker inspect` (and the inspect of its image) shows it. */
export interface ContainerFacts {
  readonly id: string;
  readonly name: string;
  /** `running`, `exited`, `restarting`, `created`, `paused` or `dead`. */
  readonly state: string;
  readonly exitCode: number;
  /** `healthy`, `unhealthy`, `starting`, or `none` when the container has no healthcheck. */
  readonly health: string;
  /** Output of the most recent health probe, trimmed. */
  readonly lastHealthOutput?: string;
  readonly restartCount: number;
  readonly startedAt?: string;
  /** The reference the container was created with (`Config.Image`). */
  readonly image: string;
  readonly imageId: string;
  /** `repo@sha256:...` entries of the local image; empty for an image that was never pulled. */
  readonly repoDigests: readonly string[];
  readonly imageCreated?: string;
  readonly imageLabels: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  /** Container arguments after the entrypoint. */
  readonly args: readonly string[];
  /** Only the variables that steer Watchtower; others (tokens, passwords) are never read out. */
  readonly env: Readonly<Record<string, string>>;
}

/** Everything read from one host. */
export interface HostFacts {
  readonly engine: EngineFacts;
  readonly orchestrator?: ContainerFacts;
  readonly watchtower?: ContainerFacts;
}

/** What the registry serves for the tag now. */
export type RegistryFacts =
  | { readonly ok: true; readonly digest: string; readonly created?: string }
  | { readonly ok: false; readonly reason: string };

export type Severity = "error" | "warning";

export interface Problem {
  readonly severity: Severity;
  readonly message: string;
}

/**
 * Whether the host runs what it should: the tag's current digest (`current`), an older one
 * (`behind`), the digest the stack pins (`pinned`), something the stack did not declare
 * (`mismatch`), nothing (`absent`), or `unknown` when the registry could not be asked.
 */
export type UpdateStatus = "current" | "behind" | "pinned" | "mismatch" | "absent" | "unknown";

/** `ok`: current and healthy; `attention`: reachable with an error; `unchecked`: not reached. */
export type Verdict = "ok" | "attention" | "unchecked";

export interface OrchestratorReport {
  readonly containerName: string;
  readonly present: boolean;
  readonly state?: string;
  readonly health?: string;
  readonly restartCount?: number;
  readonly startedAt?: string;
  readonly image?: string;
  /** The digest the container runs, as the registry names it. */
  readonly digest?: string;
}

export interface UpdateReport {
  readonly status: UpdateStatus;
  /** The digest the host should run: the registry's for the tag, or the stack's pin. */
  readonly wantedDigest?: string;
  /**
   * For `behind`: when the newer image the host lacks was built (its config's `created`), the
   * earliest moment the host can have been behind.
   */
  readonly behindSince?: string;
}

export interface WatchtowerFlags {
  readonly labelEnable: boolean;
  readonly scope?: string;
  readonly intervalSeconds?: number;
  readonly monitorOnly: boolean;
  /** The HTTP API is on and periodic polls are off: updates happen only when called. */
  readonly apiOnly: boolean;
}

export interface WatchtowerReport {
  readonly containerName: string;
  readonly present: boolean;
  readonly state?: string;
  readonly image?: string;
  readonly version?: string;
  readonly flags?: WatchtowerFlags;
  /** Whether its flags and the orchestrator's labels let it update the orchestrator. */
  readonly selectsOrchestrator?: boolean;
}

export interface HostReport {
  readonly host: string;
  /** `unix:///var/run/docker.sock` or `ssh://user@host:port`. */
  readonly engine: string;
  readonly verdict: Verdict;
  /** Why the host could not be checked, when `verdict` is `unchecked`. */
  readonly unreachable?: string;
  readonly engineVersion?: string;
  readonly orchestrator?: OrchestratorReport;
  readonly update?: UpdateReport;
  readonly watchtower?: WatchtowerReport;
  readonly problems: readonly Problem[];
}

export interface FleetReport {
  readonly stack: string;
  readonly site: string;
  /** The reference the stack declares for the orchestrator. */
  readonly image: string;
  readonly registry: RegistryFacts & { readonly url: string };
  readonly checkedAt: string;
  readonly hosts: readonly HostReport[];
  /** 0: every host current and healthy; 1: any host needs attention; 2: anything unchecked. */
  readonly exitCode: 0 | 1 | 2;
}
