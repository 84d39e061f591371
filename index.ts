// orchestrator-fleet: the orchestrator and its Watchtower on every host of a site.
// The stack's config is read here, once; everything else receives it as arguments.
import { declareProgram } from "./components/program";
import { readPulumiConfig } from "./components/pulumiConfig";

const { config, site } = declareProgram(readPulumiConfig(__dirname));

/** The site (stack) this deployment is for. */
export const siteName = config.site;
/** Per host: the orchestrator's URL, container names, the image in force, auto-update on/off. */
export const hosts = site.hosts;
