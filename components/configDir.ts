// The site's config directory: checked before anything is declared, and hashed so that a change in
// any file replaces the orchestrator container (it reads the files once, at start).
import { parseDocument } from "yaml";

import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

import type { ConfigProblem } from "./configProblems";

/** The file the orchestrator loads through `API_REGISTRY_PATH`. */
export const apiRegistryFile = "api_registry.yaml";

export interface ConfigDirReport {
  readonly path: string;
  /** sha256 over every file's relative path and content; empty when the directory is unusable. */
  readonly hash: string;
  /** Relative paths of the regular files, sorted. */
  readonly files: string[];
  readonly problems: ConfigProblem[];
}

function listFiles(root: string, relative = ""): string[] {
  const entries = fs.readdirSync(path.join(root, relative), { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const entryPath = path.posix.join(relative, entry.name);
    if (entry.isDirectory()) {
      files.push(...listFiles(root, entryPath));
    } else if (entry.isFile()) {
      files.push(entryPath);
    }
  }
  return files;
}

function yamlProblem(file: string, content: string): ConfigProblem | undefined {
  const document = parseDocument(content, { prettyErrors: false });
  if (document.errors.length === 0) {
    return undefined;
  }
  const error = document.errors[0];
  const line = content.slice(0, error.pos[0]).split("\n").length;
  return {
    path: "orchestrator.configDir",
    message: `must hold valid YAML; ${file} line ${line}: ${error.message.split("\n")[0]}`,
  };
}

/** Checks and hashes a config directory. Never throws for a missing or broken directory. */
export function inspectConfigDir(dir: string): ConfigDirReport {
  const unusable = (message: string): ConfigDirReport => ({
    path: dir,
    hash: "",
    files: [],
    problems: [{ path: "orchestrator.configDir", message }],
  });
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (!stat) {
    return unusable(
      `must be an existing directory holding ${apiRegistryFile}; received ${dir}, which does not exist`,
    );
  }
  if (!stat.isDirectory()) {
    return unusable(
      `must be a directory holding ${apiRegistryFile}; received ${dir}, which is a file`,
    );
  }

  const files = listFiles(dir).sort();
  const problems: ConfigProblem[] = [];
  if (!files.includes(apiRegistryFile)) {
    problems.push({
      path: "orchestrator.configDir",
      message: `must hold ${apiRegistryFile} (mounted as /config/${apiRegistryFile}); received ${dir} without it`,
    });
  }
  const hash = crypto.createHash("sha256");
  for (const file of files) {
    const content = fs.readFileSync(path.join(dir, file));
    hash.update(`${file}\0${content.length}\0`).update(content);
    if (/\.ya?ml$/.test(file)) {
      const problem = yamlProblem(file, content.toString("utf8"));
      if (problem) {
        problems.push(problem);
      }
    }
  }
  return { path: dir, hash: hash.digest("hex"), files, problems };
}
