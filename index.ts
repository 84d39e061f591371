// orchestrator-fleet: the orchestrator and its Watchtower on every host of a site, and, for the
// one stack that declares it, the GitHub side (package visibility, workflow secrets, workflow).
// The stack's config is read here, once; everything else receives it as arguments.
import { declareProgram } from "./components/program";
import { readPulumiConfig } from "./components/pulumiConfig";

const { config, site, github } = declareProgram(readPulumiConfig(__dirname));

/** The site (stack) this deployment is for. */
export const siteName = config.site;
/** Per host: the orchestrator's URL, container names, the image in force, auto-update on/off. */
export const hosts = site.hosts;

/** The GHCR package's visibility as GitHub reports it, and what that means for the sites. */
export const packageVisibility = github?.packageVisibility;
export const packageStatus = github?.packageStatus;
export const packageSettingsUrl = github?.packageSettingsUrl;
export const sitesNeedRegistryCredentials = github?.sitesNeedRegistryCredentials;
export const registryCredentials = github?.registryCredentials;
/** The build-and-push workflow written into the repository, and the commit that wrote it. */
export const workflowPath = github?.workflowPath;
export const workflowCommitSha = github?.workflowCommitSha;
/** Names (never values) of the Actions secrets declared. */
export const workflowSecretNames = github?.workflowSecretNames;
