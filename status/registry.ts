// Asks the image's registry which digest a tag names now, over the Docker Registry HTTP API v2
// (https://distribution.github.io/distribution/spec/api/): GET the tag's manifest with the
// manifest media types accepted and read `Docker-Content-Digest`. A 401 carries a challenge:
// Bearer (GHCR, Docker Hub) is answered with a token from the named realm, anonymously or with
// the credentials given; Basic is answered with the credentials.
import { createHash } from "node:crypto";

import type { RegistryFacts } from "./types";

/** Accepted in this order: multi-platform first, since that digest is what `docker pull` records. */
const manifestTypes = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
];

export interface RegistryOptions {
  /** Where the registry's API answers, e.g. `https://ghcr.io` (see `registryBaseUrl`). */
  readonly baseUrl: string;
  /** A token with read access (GHCR: a personal access token with `read:packages`). */
  readonly token?: string;
  /** The user the token belongs to; registries that check it need it. */
  readonly user?: string;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/**
 * The API base for a registry host: https, except for loopback registries, which Docker itself
 * talks to over plain HTTP. `override` (an http(s) URL) replaces it, e.g. for a mirror.
 */
export function registryBaseUrl(registry: string, override?: string): string {
  if (override !== undefined && override !== "") {
    return override.replace(/\/+$/, "");
  }
  const hostname = registry.replace(/:\d+$/, "");
  const loopback = hostname === "localhost" || hostname.startsWith("127.") || hostname === "[::1]";
  return `${loopback ? "http" : "https"}://${registry}`;
}

/** Splits `ghcr.io/acme/name:tag` into registry, repository and tag (or digest). */
export function parseReference(reference: string): {
  registry: string;
  repository: string;
  tag: string;
} {
  const [withoutDigest, digest] = reference.split("@");
  const firstSlash = withoutDigest.indexOf("/");
  const registry = withoutDigest.slice(0, firstSlash);
  const rest = withoutDigest.slice(firstSlash + 1);
  const lastSlash = rest.lastIndexOf("/");
  const colon = rest.indexOf(":", lastSlash + 1);
  const repository = colon === -1 ? rest : rest.slice(0, colon);
  const tag = digest ?? (colon === -1 ? "latest" : rest.slice(colon + 1));
  return { registry, repository, tag };
}

/** Parses `Bearer realm="...",service="...",scope="..."` (or Basic) from WWW-Authenticate. */
export function parseChallenge(
  header: string | null,
): { scheme: string; params: Record<string, string> } | undefined {
  if (header === null) {
    return undefined;
  }
  const match = /^(\w+)\s*(.*)$/.exec(header.trim());
  if (match === null) {
    return undefined;
  }
  const params: Record<string, string> = {};
  for (const [, key, quoted, bare] of match[2].matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) {
    params[key] = quoted ?? bare;
  }
  return { scheme: match[1].toLowerCase(), params };
}

class RegistryClient {
  private authorization: string | undefined;

  constructor(
    private readonly options: RegistryOptions,
    private readonly repository: string,
  ) {}

  private basic(): string | undefined {
    const { token, user } = this.options;
    return token === undefined
      ? undefined
      : `Basic ${Buffer.from(`${user ?? "token"}:${token}`).toString("base64")}`;
  }

  private async fetchWithTimeout(url: string, init: RequestInit): Promise<Response> {
    const doFetch = this.options.fetch ?? fetch;
    return doFetch(url, { ...init, signal: AbortSignal.timeout(this.options.timeoutMs ?? 15000) });
  }

  /** Answers a 401's challenge once; returns false when it cannot. */
  private async authenticate(response: Response): Promise<boolean> {
    const challenge = parseChallenge(response.headers.get("www-authenticate"));
    if (challenge?.scheme === "basic") {
      this.authorization = this.basic();
      return this.authorization !== undefined;
    }
    if (challenge?.scheme !== "bearer" || challenge.params.realm === undefined) {
      return false;
    }
    const url = new URL(challenge.params.realm);
    if (challenge.params.service !== undefined) {
      url.searchParams.set("service", challenge.params.service);
    }
    url.searchParams.set("scope", challenge.params.scope ?? `repository:${this.repository}:pull`);
    const basic = this.basic();
    const tokenResponse = await this.fetchWithTimeout(url.toString(), {
      headers: basic === undefined ? {} : { Authorization: basic },
    });
    if (!tokenResponse.ok) {
      throw new Error(
        `the registry refused a pull token for ${this.repository} (HTTP ${tokenResponse.status} from ${url.origin}): ` +
          (basic === undefined
            ? "the package is private or does not exist; set FLEET_STATUS_REGISTRY_TOKEN to a token with read:packages"
            : "check FLEET_STATUS_REGISTRY_TOKEN (and FLEET_STATUS_REGISTRY_USER)"),
      );
    }
    const body = (await tokenResponse.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (token === undefined) {
      throw new Error(`the registry's token endpoint ${url.origin} answered without a token`);
    }
    this.authorization = `Bearer ${token}`;
    return true;
  }

  /** GETs a path under /v2/<repository>/, answering one auth challenge. */
  async get(path: string, accept: string[]): Promise<Response> {
    const url = `${this.options.baseUrl}/v2/${this.repository}/${path}`;
    const request = () =>
      this.fetchWithTimeout(url, {
        headers: {
          Accept: accept.join(", "),
          ...(this.authorization === undefined ? {} : { Authorization: this.authorization }),
        },
      });
    let response = await request();
    if (
      response.status === 401 &&
      this.authorization === undefined &&
      (await this.authenticate(response))
    ) {
      response = await request();
    }
    return response;
  }
}

interface ManifestBody {
  mediaType?: string;
  manifests?: { digest: string; platform?: { os?: string; architecture?: string } }[];
  config?: { digest: string };
}

/**
 * When the image behind a manifest was built: its config's `created`. For a multi-platform index
 * the linux/amd64 image is read (the platforms of one build share a build time).
 */
async function createdOf(
  client: RegistryClient,
  manifest: ManifestBody,
): Promise<string | undefined> {
  let current = manifest;
  if (current.manifests !== undefined) {
    const entries = current.manifests.filter((entry) => entry.platform?.architecture !== "unknown");
    const chosen =
      entries.find(
        (entry) => entry.platform?.os === "linux" && entry.platform.architecture === "amd64",
      ) ?? entries[0];
    if (chosen === undefined) {
      return undefined;
    }
    const response = await client.get(`manifests/${chosen.digest}`, manifestTypes);
    if (!response.ok) {
      return undefined;
    }
    current = (await response.json()) as ManifestBody;
  }
  if (current.config === undefined) {
    return undefined;
  }
  const blob = await client.get(`blobs/${current.config.digest}`, ["application/json", "*/*"]);
  if (!blob.ok) {
    return undefined;
  }
  const created = ((await blob.json()) as { created?: unknown }).created;
  return typeof created === "string" ? created : undefined;
}

/** The digest the registry serves for `reference`'s tag now, and when that image was built. */
export async function lookupTag(
  reference: string,
  options: RegistryOptions,
): Promise<RegistryFacts> {
  const { repository, tag } = parseReference(reference);
  const client = new RegistryClient(options, repository);
  try {
    const response = await client.get(`manifests/${tag}`, manifestTypes);
    if (response.status === 401 || response.status === 403) {
      return {
        ok: false,
        reason:
          `the registry at ${options.baseUrl} refused to show ${repository}:${tag} (HTTP ${response.status}); ` +
          "for a private package set FLEET_STATUS_REGISTRY_TOKEN to a token with read:packages",
      };
    }
    if (response.status === 404) {
      return {
        ok: false,
        reason: `the registry at ${options.baseUrl} has no ${repository}:${tag} (HTTP 404)`,
      };
    }
    if (!response.ok) {
      return {
        ok: false,
        reason: `the registry at ${options.baseUrl} answered HTTP ${response.status} for ${repository}:${tag}`,
      };
    }
    const body = Buffer.from(await response.arrayBuffer());
    // The header is the registry's word; without it the digest is the hash of the exact bytes.
    const digest =
      response.headers.get("docker-content-digest") ??
      `sha256:${createHash("sha256").update(body).digest("hex")}`;
    let created: string | undefined;
    try {
      created = await createdOf(client, JSON.parse(body.toString("utf8")) as ManifestBody);
    } catch {
      // The build time only adds "since when"; the digest alone answers current or behind.
      created = undefined;
    }
    return { ok: true, digest, created };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.message ?? cause?.code ?? (error as Error).message;
    return {
      ok: false,
      reason: `cannot ask the registry at ${options.baseUrl} about ${repository}:${tag}: ${detail}`,
    };
  }
}
