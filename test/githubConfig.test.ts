import assert from "node:assert/strict";
import { describe, it } from "node:test";

import type { ConfigProblem } from "../components/configProblems";
import type { GithubConfigInput } from "../components/githubConfig";

import { FleetConfigError } from "../components/configProblems";
import { parseGithubConfig } from "../components/githubConfig";

const acme = { owner: "Acme", repository: "autonomy" };
const secretValue = "s3cr3t-value-never-shown";

describe("parseGithubConfig", () => {
  it("applies every default to a block with only owner and repository", () => {
    assert.deepEqual(parseGithubConfig({ github: acme }), {
      problems: [],
      config: {
        owner: "Acme",
        ownerType: "org",
        repository: "autonomy",
        packageName: "autonomy-orchestrator",
        packageVisibility: "public",
        manageWorkflow: true,
        workflowPath: ".github/workflows/autonomy-orchestrator-autoupdate.yml",
        branch: "main",
        buildContext: "autonomy/orchestrator",
        dockerfile: "autonomy/orchestrator/Dockerfile",
        workflowSecretNames: [],
      },
    });
  });

  it("keeps explicit values, including manageWorkflow false", () => {
    const { config, problems } = parseGithubConfig({
      github: {
        owner: "jane-doe",
        ownerType: "user",
        repository: "my.repo_1",
        packageName: "orchestrator",
        packageVisibility: "private",
        manageWorkflow: false,
        workflowPath: ".github/workflows/image.yaml",
        branch: "release/v2",
        buildContext: "services/orchestrator",
        dockerfile: "docker/orchestrator.Dockerfile",
      },
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(config, {
      owner: "jane-doe",
      ownerType: "user",
      repository: "my.repo_1",
      packageName: "orchestrator",
      packageVisibility: "private",
      manageWorkflow: false,
      workflowPath: ".github/workflows/image.yaml",
      branch: "release/v2",
      buildContext: "services/orchestrator",
      dockerfile: "docker/orchestrator.Dockerfile",
      workflowSecretNames: [],
    });
  });

  it("returns no config and no problem when the github block is absent", () => {
    assert.deepEqual(parseGithubConfig({ github: undefined }), { problems: [] });
  });

  it("lists the workflow secret names but never their values", () => {
    const result = parseGithubConfig({
      github: acme,
      workflowSecrets: { SENTRY_DSN: secretValue, npm_token: secretValue },
      workflowSecretsIsSecret: true,
    });
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.config?.workflowSecretNames, ["SENTRY_DSN", "npm_token"]);
    assert.ok(!JSON.stringify(result).includes(secretValue));
  });

  it("takes the package name from the image the sites run", () => {
    const { config, problems } = parseGithubConfig({
      github: { owner: "ACME", repository: "autonomy" },
      imageName: "ghcr.io/acme/orchestrator:autonomy-latest",
    });
    assert.deepEqual(problems, []);
    assert.equal(config?.packageName, "orchestrator");
  });

  it("builds the repository root when buildContext is '.'", () => {
    const { config } = parseGithubConfig({ github: { ...acme, buildContext: "." } });
    assert.equal(config?.dockerfile, "Dockerfile");
  });
});

describe("parseGithubConfig rejects bad input", () => {
  const cases: { input: GithubConfigInput; problems: ConfigProblem[]; label: string }[] = [
    {
      label: "a github value that is not an object",
      input: { github: ["acme"] },
      problems: [
        {
          path: "github",
          message: "must be an object with at least `owner` and `repository`; received a list of 1",
        },
      ],
    },
    {
      label: "missing owner and repository",
      input: { github: {} },
      problems: [
        {
          path: "github.owner",
          message:
            "is required (a GitHub login: 1 to 39 letters, digits or single hyphens, not " +
            "starting or ending with a hyphen); received nothing",
        },
        {
          path: "github.repository",
          message:
            'is required (a GitHub repository name: 1 to 100 letters, digits, ".", "-" or ' +
            '"_", other than "." and ".."); received nothing',
        },
      ],
    },
    {
      label: "an owner that is not a string",
      input: { github: { owner: 42, repository: "autonomy" } },
      problems: [{ path: "github.owner", message: "must be a string; received 42" }],
    },
    {
      label: "an owner starting with a hyphen",
      input: { github: { owner: "-acme", repository: "autonomy" } },
      problems: [
        {
          path: "github.owner",
          message:
            "must be a GitHub login: 1 to 39 letters, digits or single hyphens, not starting " +
            'or ending with a hyphen; received "-acme"',
        },
      ],
    },
    {
      label: "an owner of 40 characters",
      input: { github: { owner: "a".repeat(40), repository: "autonomy" } },
      problems: [
        {
          path: "github.owner",
          message:
            `must be a GitHub login: 1 to 39 letters, digits or single hyphens, not starting ` +
            `or ending with a hyphen; received "${"a".repeat(40)}"`,
        },
      ],
    },
    {
      label: "an unknown ownerType",
      input: { github: { ...acme, ownerType: "team" } },
      problems: [{ path: "github.ownerType", message: 'must be "org" or "user"; received "team"' }],
    },
    {
      label: "a repository name with a space",
      input: { github: { owner: "acme", repository: "my repo" } },
      problems: [
        {
          path: "github.repository",
          message:
            'must be a GitHub repository name: 1 to 100 letters, digits, ".", "-" or "_", ' +
            'other than "." and ".."; received "my repo"',
        },
      ],
    },
    {
      label: "an upper-case package name",
      input: { github: { ...acme, packageName: "Autonomy" } },
      problems: [
        {
          path: "github.packageName",
          message:
            'must be a GHCR image name: lowercase letters and digits, joined by ".", "_", ' +
            '"__" or dashes; received "Autonomy"',
        },
      ],
    },
    {
      label: "an unknown visibility",
      input: { github: { ...acme, packageVisibility: "secret" } },
      problems: [
        {
          path: "github.packageVisibility",
          message: 'must be "public", "private" or "internal"; received "secret"',
        },
      ],
    },
    {
      label: "internal visibility for a user's package",
      input: { github: { ...acme, ownerType: "user", packageVisibility: "internal" } },
      problems: [
        {
          path: "github.packageVisibility",
          message:
            'must be "public" or "private" when github.ownerType is "user": "internal" ' +
            "exists only for packages of an organisation on GitHub Enterprise Cloud; " +
            'received "internal"',
        },
      ],
    },
    {
      label: "manageWorkflow as a string",
      input: { github: { ...acme, manageWorkflow: "yes" } },
      problems: [
        { path: "github.manageWorkflow", message: 'must be true or false; received "yes"' },
      ],
    },
    {
      label: "a workflow outside .github/workflows",
      input: { github: { ...acme, workflowPath: "ci/build.yml" } },
      problems: [
        {
          path: "github.workflowPath",
          message:
            "must be a file directly in .github/workflows/ ending in .yml or .yaml (GitHub " +
            'runs no other); received "ci/build.yml"',
        },
      ],
    },
    {
      label: "a branch name with a space",
      input: { github: { ...acme, branch: "feature branch" } },
      problems: [
        {
          path: "github.branch",
          message:
            'must be a branch name of letters, digits, ".", "_", "-" and "/" (no "..", "//" ' +
            'or "/.", not starting with "-", "/" or ".", not ending with "/", "." or ' +
            '".lock"); received "feature branch"',
        },
      ],
    },
    {
      label: "an absolute build context, with no second problem for the derived Dockerfile",
      input: { github: { ...acme, buildContext: "/srv/orchestrator" } },
      problems: [
        {
          path: "github.buildContext",
          message:
            'must be "." or a path relative to the repository root, of letters, digits, ".", ' +
            '"_", "-" and "/" (no "." or ".." segments); received "/srv/orchestrator"',
        },
      ],
    },
    {
      label: "a Dockerfile outside the repository",
      input: { github: { ...acme, dockerfile: "../Dockerfile" } },
      problems: [
        {
          path: "github.dockerfile",
          message:
            'must be a path relative to the repository root, of letters, digits, ".", "_", ' +
            '"-" and "/" (no "." or ".." segments); received "../Dockerfile"',
        },
      ],
    },
    {
      label: "an unknown key",
      input: { github: { ...acme, visibility: "public" } },
      problems: [
        {
          path: "github.visibility",
          message:
            "is not a known key (allowed: owner, ownerType, repository, packageName, " +
            "packageVisibility, manageWorkflow, workflowPath, branch, buildContext, " +
            "dockerfile); remove it or fix its spelling",
        },
      ],
    },
    {
      label: "a package name other than the image the sites run",
      input: {
        github: { ...acme, packageName: "orchestrator" },
        imageName: "ghcr.io/acme/autonomy-orchestrator:autonomy-latest",
      },
      problems: [
        {
          path: "github.packageName",
          message:
            'must be "autonomy-orchestrator", the name of the image the sites run ' +
            "(ghcr.io/acme/autonomy-orchestrator:autonomy-latest), or be left out; received " +
            '"orchestrator"',
        },
      ],
    },
    {
      label: "an owner other than the one in the image the sites run",
      input: { github: acme, imageName: "ghcr.io/other/autonomy-orchestrator" },
      problems: [
        {
          path: "github.owner",
          message:
            'must be "other" (in any letter case), the owner in the image the sites run ' +
            '(ghcr.io/other/autonomy-orchestrator); received "Acme"',
        },
      ],
    },
    {
      label: "sites running an image from another registry",
      input: { github: acme, imageName: "docker.io/acme/autonomy-orchestrator:latest" },
      problems: [
        {
          path: "github",
          message:
            "declares the GHCR package the workflow pushes, but the sites run " +
            "docker.io/acme/autonomy-orchestrator:latest, which is not on ghcr.io; run " +
            "ghcr.io/<owner>/<name> on the sites or remove the github block",
        },
      ],
    },
  ];

  for (const { label, input, problems } of cases) {
    it(`reports ${label}`, () => {
      assert.deepEqual(parseGithubConfig(input), { problems });
    });
  }
});

describe("parseGithubConfig rejects bad workflowSecrets", () => {
  const secretCases: {
    label: string;
    secrets: unknown;
    isSecret?: boolean;
    problems: ConfigProblem[];
  }[] = [
    {
      label: "a value not stored as a secret",
      secrets: { SENTRY_DSN: secretValue },
      isSecret: false,
      problems: [
        {
          path: "workflowSecrets",
          message:
            "must be stored as a secret, because its values are credentials; received a " +
            "plain value. Remove it (`pulumi config rm workflowSecrets`) and set each entry " +
            "with `pulumi config set --secret --path 'workflowSecrets.NAME' VALUE`",
        },
      ],
    },
    {
      label: "a string instead of an object",
      secrets: secretValue,
      problems: [
        {
          path: "workflowSecrets",
          message: "must be an object of NAME: value pairs; received a string",
        },
      ],
    },
    {
      label: "a name starting with a digit",
      secrets: { "1BAD": secretValue },
      problems: [
        { path: "workflowSecrets.1BAD", message: 'must not start with a digit; received "1BAD"' },
      ],
    },
    {
      label: "a name with a hyphen",
      secrets: { "MY-TOKEN": secretValue },
      problems: [
        {
          path: "workflowSecrets.MY-TOKEN",
          message: 'may contain only letters, digits and underscores; received "MY-TOKEN"',
        },
      ],
    },
    {
      label: "a name with GitHub's reserved prefix, in any case",
      secrets: { github_token: secretValue },
      problems: [
        {
          path: "workflowSecrets.github_token",
          message:
            'must not start with GITHUB_ (GitHub reserves that prefix); received "github_token"',
        },
      ],
    },
    {
      label: "two names that differ only in case",
      secrets: { TOKEN: secretValue, token: secretValue },
      problems: [
        {
          path: "workflowSecrets.token",
          message:
            "names the same secret as TOKEN (GitHub secret names ignore letter case); keep " +
            "one of them",
        },
      ],
    },
    {
      label: "a value that is not a string",
      secrets: { PORT: 5432 },
      problems: [{ path: "workflowSecrets.PORT", message: "must be a string; received a number" }],
    },
    {
      label: "an empty value",
      secrets: { TOKEN: "" },
      problems: [
        { path: "workflowSecrets.TOKEN", message: "must not be empty; received an empty string" },
      ],
    },
    {
      label: "a value over GitHub's 48 KB limit",
      secrets: { BLOB: "x".repeat(49153) },
      problems: [
        {
          path: "workflowSecrets.BLOB",
          message:
            "must be at most 48 KB (49152 bytes, GitHub's limit); received a string of 49153 bytes",
        },
      ],
    },
  ];

  for (const { label, secrets, isSecret, problems } of secretCases) {
    it(`reports ${label}, without showing any value`, () => {
      const result = parseGithubConfig({
        github: acme,
        workflowSecrets: secrets,
        workflowSecretsIsSecret: isSecret ?? true,
      });
      assert.deepEqual(result, { problems });
      assert.ok(!JSON.stringify(result).includes(secretValue));
    });
  }

  it("reports workflowSecrets set on a stack without a github block", () => {
    const result = parseGithubConfig({
      github: undefined,
      workflowSecrets: { SENTRY_DSN: secretValue },
      workflowSecretsIsSecret: true,
    });
    assert.deepEqual(result, {
      problems: [
        {
          path: "workflowSecrets",
          message:
            "is set, but there is no `github` block naming the repository that gets these " +
            "Actions secrets; add `github.owner` and `github.repository`, or remove " +
            "workflowSecrets",
        },
      ],
    });
  });

  it("reports every problem at once, ready for one FleetConfigError", () => {
    const { problems } = parseGithubConfig({
      github: { ownerType: "team", repository: "autonomy" },
      workflowSecrets: { "1BAD": secretValue },
      workflowSecretsIsSecret: false,
    });
    assert.deepEqual(
      problems.map((problem) => problem.path),
      ["workflowSecrets", "workflowSecrets.1BAD", "github.owner", "github.ownerType"],
    );
    const error = new FleetConfigError(problems);
    assert.match(error.message, /^Invalid stack config for orchestrator-fleet \(4 problems\):/);
    assert.ok(!error.message.includes(secretValue));
  });
});
