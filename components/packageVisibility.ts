// The image package's visibility, declared and verified. GitHub offers no API to set it (a PATCH
// of the package answers 404, cli/cli#6820), so this component reads it, records it when it agrees
// with the declaration, and otherwise stops the preview with the one page where a person can fix it.
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";

import type { PackageOwnerType, PackageVisibilityLevel } from "./ghcrPackage";

import { ghcrRepository, packageApiEndpoint, packageSettingsUrl } from "./ghcrPackage";

export interface PackageVisibilityArgs {
  /** Organisation or user that owns the package. */
  readonly owner: string;
  /**
   * Whether `owner` is an organisation or a personal account; the endpoints and URLs differ.
   * @default "org"
   */
  readonly ownerType?: PackageOwnerType;
  /** Container package name, e.g. `autonomy-orchestrator`. */
  readonly packageName: string;
  /** The visibility the package must have. */
  readonly visibility: PackageVisibilityLevel;
}

/** `matches`: GitHub reports the declared visibility. `not-published`: no image pushed yet. */
export type PackageVisibilityStatus = "matches" | "not-published";

/** What `github.getRestApi` returns that the verdict needs. */
export interface PackageResponse {
  readonly code: number;
  readonly status: string;
  readonly body: string;
}

export type PackageVerdict =
  | { readonly outcome: "matches"; readonly visibility: PackageVisibilityLevel }
  | { readonly outcome: "not-published"; readonly warning: string }
  | { readonly outcome: "failed"; readonly message: string };

const visibilities: readonly string[] = ["public", "private", "internal"];
const maxBodyInMessage = 500;

function statusLine(response: PackageResponse): string {
  const status = response.status.trim();
  return status.startsWith(String(response.code)) ? status : `${response.code} ${status}`.trim();
}

function shortBody(body: string): string {
  const flat = body.replace(/\s+/g, " ").trim();
  if (flat === "") {
    return "(empty body)";
  }
  return flat.length > maxBodyInMessage ? `${flat.slice(0, maxBodyInMessage)}...` : flat;
}

function reportedVisibility(body: string): PackageVisibilityLevel | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    const visibility = (parsed as { visibility?: unknown } | null)?.visibility;
    return visibilities.includes(visibility as string)
      ? (visibility as PackageVisibilityLevel)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Turns GitHub's answer about the package into the outcome and the exact words a user sees. */
export function judgePackageResponse(
  response: PackageResponse,
  args: PackageVisibilityArgs,
): PackageVerdict {
  const ownerType = args.ownerType ?? "org";
  const endpoint = packageApiEndpoint(ownerType, args.owner, args.packageName);
  const settingsUrl = packageSettingsUrl(ownerType, args.owner, args.packageName);
  const image = ghcrRepository(args.owner, args.packageName);
  const declared = args.visibility;

  if (response.code === 404) {
    // The provider returns a 404 instead of failing, precisely so callers can treat "absent" as a
    // state: https://github.com/integrations/terraform-provider-github/blob/main/github/data_source_github_rest_api.go
    const next =
      declared === "public"
        ? `New packages start private unless the ${ownerType === "org" ? "organisation's" : "account's"} ` +
          `package creation default says otherwise, so after the first push make it public at ` +
          `${settingsUrl} (Danger Zone > Change visibility) and run pulumi up again.`
        : "After the first push, run pulumi up again to check its visibility.";
    return {
      outcome: "not-published",
      warning:
        `The GHCR package ${image} does not exist yet (GET ${endpoint} answered 404), so its ` +
        `visibility is not checked: the build workflow's first push creates it. ${next} If ` +
        "images were pushed already, the 404 means the GitHub provider's token cannot see the " +
        "package: it needs the read:packages scope.",
    };
  }

  const actual = response.code === 200 ? reportedVisibility(response.body) : undefined;
  if (actual === undefined) {
    const why =
      response.code === 200
        ? `which names no visibility ("public", "private" or "internal")`
        : "which this program does not expect";
    return {
      outcome: "failed",
      message:
        `Reading the GHCR package ${image} failed: GET ${endpoint} answered ` +
        `${statusLine(response)}, ${why}. Body: ${shortBody(response.body)}\n` +
        "Check that the GitHub provider's token has the read:packages scope and that " +
        `${args.owner} owns the package, then run pulumi up again.`,
    };
  }
  if (actual === declared) {
    return { outcome: "matches", visibility: actual };
  }

  const lines = [
    `The GHCR package ${image} is ${actual}, but github.packageVisibility declares "${declared}".`,
    "GitHub has no API that changes a package's visibility (a PATCH answers 404, cli/cli#6820), " +
      `so an owner of ${args.owner} must change it by hand at ${settingsUrl} ` +
      "(Danger Zone > Change visibility), then run pulumi up again.",
  ];
  if (actual === "public") {
    lines.push(
      "GitHub may not allow making a public package private again: its docs said for years " +
        "that this cannot be undone (the sentence was dropped in 2024, github/docs#32339). If " +
        "the Danger Zone offers no way back, push the image under a new package name, and treat " +
        "every image already pulled while it was public as published.",
    );
  }
  if (declared === "public") {
    lines.push(
      "Once public, anyone can pull the image, and GitHub may not let it go back. If the " +
        `package is meant to stay ${actual}, set github.packageVisibility to "${actual}" and ` +
        "give every site stack registryUser and registryToken.",
    );
  } else {
    lines.push(`If ${actual} is what you want, set github.packageVisibility to "${actual}".`);
  }
  return { outcome: "failed", message: lines.join("\n") };
}

/**
 * Verifies that the orchestrator image's GHCR package has the declared visibility. A mismatch or
 * an unexpected answer fails the preview; a package not pushed yet only warns.
 */
export class PackageVisibility extends pulumi.ComponentResource {
  /** What GitHub reports; undefined until the first push creates the package. */
  readonly visibility: pulumi.Output<PackageVisibilityLevel | undefined>;
  readonly status: pulumi.Output<PackageVisibilityStatus>;
  /** True when sites cannot pull anonymously: the package is, or is declared, not public. */
  readonly sitesNeedRegistryCredentials: pulumi.Output<boolean>;
  /** One sentence for the stack outputs on what the site stacks need to pull the image. */
  readonly registryCredentials: pulumi.Output<string>;
  /** The package's settings page, where its visibility is changed. */
  readonly settingsUrl: string;

  constructor(name: string, args: PackageVisibilityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("orchestrator-fleet:github:PackageVisibility", name, {}, opts);
    const ownerType = args.ownerType ?? "org";
    this.settingsUrl = packageSettingsUrl(ownerType, args.owner, args.packageName);

    // With `parent: this` the invoke uses the provider given to this component, if any.
    const response = github.getRestApiOutput(
      { endpoint: packageApiEndpoint(ownerType, args.owner, args.packageName) },
      { parent: this },
    );
    const verdict = response.apply((answer) => {
      const judged = judgePackageResponse(answer, args);
      if (judged.outcome === "failed") {
        throw new pulumi.ResourceError(judged.message, this);
      }
      if (judged.outcome === "not-published") {
        void pulumi.log.warn(judged.warning, this);
      }
      return judged;
    });
    this.visibility = verdict.apply((v) => (v.outcome === "matches" ? v.visibility : undefined));
    this.status = verdict.apply((v) => v.outcome);
    this.sitesNeedRegistryCredentials = this.visibility.apply(
      (actual) => (actual ?? args.visibility) !== "public",
    );
    this.registryCredentials = this.visibility.apply((actual) => {
      const state = actual === undefined ? `is declared ${args.visibility}` : `is ${actual}`;
      return (actual ?? args.visibility) === "public"
        ? `none: the package ${state}, so sites pull it anonymously`
        : `every site stack needs registryUser and registryToken (a personal access token ` +
            `(classic) with read:packages), because the package ${state}`;
    });

    this.registerOutputs({
      visibility: this.visibility,
      status: this.status,
      sitesNeedRegistryCredentials: this.sitesNeedRegistryCredentials,
      registryCredentials: this.registryCredentials,
      settingsUrl: this.settingsUrl,
    });
  }
}
