// Names and addresses of the orchestrator image's package on GitHub Container Registry, shared by
// the visibility check, the build workflow and the docs so they can never disagree.

/** Whether the package belongs to an organisation or to a personal account. */
export type PackageOwnerType = "org" | "user";

/** The visibilities GitHub reports for a container package. */
export type PackageVisibilityLevel = "public" | "private" | "internal";

function ownerSegment(ownerType: PackageOwnerType): string {
  return ownerType === "org" ? "orgs" : "users";
}

/**
 * The REST endpoint that describes the package, relative to the API root. It has no leading slash:
 * the GitHub provider resolves it against its base URL, and on GitHub Enterprise Server that base
 * ends in `/api/v3/`, which an absolute path would drop.
 * https://docs.github.com/en/rest/packages/packages#get-a-package-for-an-organization
 */
export function packageApiEndpoint(
  ownerType: PackageOwnerType,
  owner: string,
  packageName: string,
): string {
  return `${ownerSegment(ownerType)}/${owner}/packages/container/${encodeURIComponent(packageName)}`;
}

/**
 * The page whose "Danger Zone" holds "Change visibility".
 * TODO(#3): github.com only; GitHub Enterprise Server serves this page, and its registry, from its
 * own host, and none of the URLs here follow the provider's `baseUrl`. It is the only place where visibility can
 * be changed: the REST API has no call for it (a PATCH answers 404, cli/cli#6820).
 */
export function packageSettingsUrl(
  ownerType: PackageOwnerType,
  owner: string,
  packageName: string,
): string {
  return `https://github.com/${ownerSegment(ownerType)}/${owner}/packages/container/${packageName}/settings`;
}

/**
 * The image repository as sites pull it, without a tag. GHCR rejects upper-case repository names,
 * while GitHub logins may contain capitals, so the owner is lower-cased.
 * https://docs.github.com/en/packages/working-with-a-github-packages-registry/working-with-the-container-registry
 */
export function ghcrRepository(owner: string, packageName: string): string {
  return `ghcr.io/${owner.toLowerCase()}/${packageName}`;
}
