// A Docker Engine API client for one host, the way the Docker CLI reaches it: the local unix
// socket, or `ssh://user@host:port`, which runs `docker system dial-stdio` on the host and speaks
// HTTP over that stream (so the host needs the docker CLI, as it does for the Docker CLI itself).
import Docker from "dockerode";

import * as fs from "node:fs";

import { defaultDockerSocket } from "./configSchema";

/** Where a host's Docker engine answers. */
export interface DockerEngineTarget {
  /** Unix socket of the engine; used when `ssh` is absent. @default "/var/run/docker.sock" */
  readonly socketPath?: string;
  /** Reach the engine over SSH instead of a local socket. */
  readonly ssh?: {
    readonly host: string;
    readonly user: string;
    readonly port: number;
    /**
     * An unencrypted private key (OpenSSH or PEM text). Without it, the user's SSH agent
     * (`SSH_AUTH_SOCK`) signs in, as it does for `docker -H ssh://...`.
     */
    readonly privateKey?: string;
  };
  /**
   * Give up on one API request after this many milliseconds (local socket), or on the SSH
   * handshake (ssh). @default no limit
   */
  readonly timeoutMs?: number;
}

/** Names the engine the way `docker -H` would, for messages: `unix:///var/run/docker.sock`. */
export function describeEngine(target: DockerEngineTarget): string {
  if (target.ssh !== undefined) {
    return `ssh://${target.ssh.user}@${target.ssh.host}:${target.ssh.port}`;
  }
  return `unix://${target.socketPath ?? defaultDockerSocket}`;
}

/**
 * Builds a client for one engine. It does not connect: the first API call does, and
 * `explainEngineError` turns a failure to connect into a message that says what to check.
 * Throws at once when SSH is asked for without a key and no SSH agent is there to sign in.
 */
export function createDockerClient(
  target: DockerEngineTarget,
  env: NodeJS.ProcessEnv = process.env,
): Docker {
  // docker-modem starts from DOCKER_HOST and the DOCKER_TLS_* variables and lays the options
  // passed here over them; a tcp:// or ssh:// DOCKER_HOST left in the shell would otherwise win
  // over `socketPath` and send the calls to another engine. So every transport key is explicit.
  if (target.ssh === undefined) {
    return new Docker({
      socketPath: target.socketPath ?? defaultDockerSocket,
      host: undefined,
      port: undefined,
      protocol: "http",
      timeout: target.timeoutMs,
    });
  }

  const sshOptions = sshCredentials(target, env);
  // docker-modem builds its request URL for ssh from `ssh:` and the host, which Node warns is
  // malformed (DEP0170, once per process); the request itself goes through the SSH channel.
  const docker = new Docker({
    protocol: "ssh",
    host: target.ssh.host,
    port: target.ssh.port,
    username: target.ssh.user,
    sshOptions,
    // No request `timeout` here: docker-modem applies it with `setTimeout` on the socket, which
    // the SSH channel it talks through does not have ("sock.setTimeout is not a function"). The
    // SSH handshake is bounded by `readyTimeout`; callers bound whole calls themselves.
  });
  // The modem merges an ssh:// DOCKER_HOST's agent over the options given here; set them again
  // so that the key or agent chosen for this host is the one used.
  (docker.modem as unknown as { sshOptions: object }).sshOptions = sshOptions;
  return docker;
}

function sshCredentials(
  target: DockerEngineTarget,
  env: NodeJS.ProcessEnv,
): { agent?: string; privateKey?: string; readyTimeout?: number } {
  const readyTimeout = target.timeoutMs;
  const privateKey = target.ssh?.privateKey;
  if (privateKey !== undefined && privateKey.trim() !== "") {
    return { privateKey, readyTimeout };
  }

  const agent = env.SSH_AUTH_SOCK;
  const engine = describeEngine(target);
  if (agent === undefined || agent === "") {
    throw new Error(
      `Cannot sign in to ${engine}: no SSH agent is running here (SSH_AUTH_SOCK is not set) and ` +
        "no private key was given. Start an agent and add the host's key " +
        '(`eval "$(ssh-agent)" && ssh-add ~/.ssh/id_ed25519`), or set the stack secret ' +
        "`pulumi config set --secret orchestrator-fleet:sshPrivateKey < key-file`.",
    );
  }
  if (!fs.existsSync(agent)) {
    throw new Error(
      `Cannot sign in to ${engine}: SSH_AUTH_SOCK points at ${agent}, which does not exist ` +
        "(the agent has stopped, or this shell belongs to another session). Start an agent and " +
        'add the key again: `eval "$(ssh-agent)" && ssh-add ~/.ssh/id_ed25519`.',
    );
  }
  // TODO(#6): the host key is not checked against ~/.ssh/known_hosts (ssh2 accepts any key
  // unless given a hostVerifier), where the Docker CLI's ssh would refuse an unknown host.
  return { agent, readyTimeout };
}

/** Error codes of a connection that never reached an engine. */
const unreachableCodes = new Set([
  "ENOENT",
  "ECONNREFUSED",
  "EACCES",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
]);

/** True when the error says the engine could not be reached at all, not that a call failed. */
export function isEngineUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) {
    return false;
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && unreachableCodes.has(code)) {
    return true;
  }
  // ssh2 reports authentication and handshake failures without a code.
  return (
    (error as { level?: unknown }).level === "client-authentication" ||
    /Timed out while waiting for handshake|All configured authentication methods failed/.test(
      error.message,
    )
  );
}

/** Names the engine a client talks to, read back from its transport settings. */
export function describeClient(docker: Docker): string {
  const modem = docker.modem as {
    protocol?: string;
    host?: string;
    port?: string | number;
    username?: string;
    socketPath?: unknown;
  };
  if (modem.protocol === "ssh") {
    return `ssh://${modem.username ?? ""}@${modem.host ?? ""}:${modem.port ?? 22}`;
  }
  if (modem.host !== undefined) {
    return `${modem.protocol ?? "http"}://${modem.host}:${modem.port ?? ""}`;
  }
  return `unix://${typeof modem.socketPath === "string" ? modem.socketPath : defaultDockerSocket}`;
}

/**
 * Rewrites a failure to reach the engine as a message that names the engine, what happened and
 * what to check; any other error comes back unchanged. `doing` completes "Cannot reach ... to".
 */
export function explainEngineError(error: unknown, docker: Docker, doing: string): unknown {
  if (!isEngineUnreachable(error)) {
    return error;
  }
  const engine = describeClient(docker);
  const reason = error instanceof Error ? error.message : String(error);
  const advice = engine.startsWith("ssh://")
    ? "Check that the host is up, that SSH answers on that port for that user with your key or " +
      `agent, and that the docker CLI is installed there (\`docker -H ${engine} info\` must answer).`
    : "Check that Docker is running there and that the socket path is right " +
      `(\`docker -H ${engine} info\` must answer).`;
  return new Error(
    `Cannot reach the Docker engine at ${engine} to ${doing}: ${reason}. ${advice}`,
    {
      cause: error,
    },
  );
}
