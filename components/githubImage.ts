// The image the sites run and the package the build workflow pushes must be the same one; these
// helpers take the image reference apart and report where the `github` block disagrees with it.
import type { ConfigProblem } from "./configProblems";

import { describeReceived } from "./configProblems";

export interface ImageNameParts {
  /** Registry host, when the reference names one (`ghcr.io`). */
  readonly registry?: string;
  /** The path segment after the registry, i.e. the GHCR owner, when there is one. */
  readonly namespace?: string;
  /** Last path segment, which is the package name on GHCR. */
  readonly name: string;
}

/** Splits `ghcr.io/acme/autonomy-orchestrator:autonomy-latest` (or a bare name) into its parts. */
export function splitImageName(image: string): ImageNameParts {
  const withoutDigest = image.split("@")[0];
  const lastSlash = withoutDigest.lastIndexOf("/");
  const tagColon = withoutDigest.indexOf(":", lastSlash + 1);
  const path = tagColon === -1 ? withoutDigest : withoutDigest.slice(0, tagColon);
  const segments = path.split("/");
  const first = segments[0];
  const hasRegistry =
    segments.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost");
  const rest = hasRegistry ? segments.slice(1) : segments;
  return {
    registry: hasRegistry ? first : undefined,
    namespace: rest.length > 1 ? rest[0] : undefined,
    name: rest[rest.length - 1],
  };
}

/**
 * The workflow pushes `ghcr.io/<owner>/<packageName>`; if the sites pull anything else, every push
 * is wasted and the sites never update. So the block must agree with the image the sites run.
 */
export function imageProblems(
  imageName: string,
  owner: string,
  rawPackageName: unknown,
): ConfigProblem[] {
  const image = splitImageName(imageName);
  const problems: ConfigProblem[] = [];
  const hasNamespace = image.namespace !== undefined;
  if (image.registry !== "ghcr.io" && (image.registry !== undefined || hasNamespace)) {
    return [
      {
        path: "github",
        message:
          `declares the GHCR package the workflow pushes, but the sites run ${imageName}, which ` +
          "is not on ghcr.io; run ghcr.io/<owner>/<name> on the sites or remove the github block",
      },
    ];
  }
  if (typeof rawPackageName === "string" && rawPackageName !== image.name) {
    problems.push({
      path: "github.packageName",
      message:
        `must be "${image.name}", the name of the image the sites run (${imageName}), or be ` +
        `left out; received ${describeReceived(rawPackageName)}`,
    });
  }
  if (hasNamespace && owner !== "" && owner.toLowerCase() !== image.namespace) {
    problems.push({
      path: "github.owner",
      message:
        `must be "${image.namespace}" (in any letter case), the owner in the image the sites ` +
        `run (${imageName}); received ${describeReceived(owner)}`,
    });
  }
  return problems;
}
