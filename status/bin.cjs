#!/usr/bin/env node
// The `orchestrator-fleet-status` command. It runs the TypeScript source through tsx (a dev
// dependency of this repository), resolved next to this file, so it works from any directory.
/* global require */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS entry point has only require */
require("tsx/cjs");
require("./cli.ts").run();
