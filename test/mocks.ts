// The one mock layer every Pulumi test shares. It records each registered resource (with the
// parts of the request the public mock API hides: parent, provider, dependencies, bound hooks and
// which inputs arrived as secrets), records each invoke, derives ids from names, and throws on an
// invoke no test has declared, so an unexpected provider call fails loudly instead of returning {}.
import * as pulumi from "@pulumi/pulumi";

import { projectName } from "../components/stackFile";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any --
   the SDK's mock monitor and state store are not part of its typed public surface. */
const { MockMonitor } = require("@pulumi/pulumi/runtime/mocks");
const runtimeState = require("@pulumi/pulumi/runtime/state");
const rpc = require("@pulumi/pulumi/runtime/rpc");
const runtimeSettings = require("@pulumi/pulumi/runtime/settings");

export interface RecordedResource {
  type: string;
  name: string;
  urn: string;
  /** Inputs with secrets unwrapped to their plain values. */
  inputs: Record<string, any>;
  /** Top-level input keys whose value is, or contains, a secret. */
  secretInputs: string[];
  parent: string;
  provider: string;
  /** URNs this resource depends on: explicit dependsOn plus every input's dependencies. */
  dependencies: string[];
  /** Names of the hooks bound to run before this resource is created. */
  beforeCreateHooks: string[];
  deleteBeforeReplace: boolean;
  replaceOnChanges: string[];
}

export interface RecordedInvoke {
  token: string;
  inputs: Record<string, any>;
  /** Reference (`urn::id`) of the provider the invoke went through; "" for the default one. */
  provider: string;
}

export type InvokeHandler = (inputs: Record<string, any>) => Record<string, any>;

export const recorded: {
  resources: RecordedResource[];
  invokes: RecordedInvoke[];
  hooks: string[];
} = {
  resources: [],
  invokes: [],
  hooks: [],
};

const invokeHandlers = new Map<string, InvokeHandler>();

/** Declares how the mock answers one invoke token; undeclared tokens throw. */
export function onInvoke(token: string, handler: InvokeHandler): void {
  invokeHandlers.set(token, handler);
}

function containsSecret(value: unknown): boolean {
  if (value === null || typeof value !== "object") {
    return false;
  }
  const record = value as Record<string, unknown>;
  if (record[rpc.specialSigKey] === rpc.specialSecretSig) {
    return true;
  }
  return Object.values(record).some(containsSecret);
}

/** Plain values of inputs: secrets unwrapped, and provider settings (sent as JSON text) parsed. */
function plainInputs(type: string, inputs: Record<string, any>): Record<string, any> {
  const unwrap = (value: any): any => {
    if (value === null || typeof value !== "object") {
      return value;
    }
    if (value[rpc.specialSigKey] === rpc.specialSecretSig) {
      return unwrap(value.value);
    }
    if (Array.isArray(value)) {
      return value.map(unwrap);
    }
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, unwrap(item)]));
  };
  const parseJson = (value: any): any => {
    if (typeof value === "string" && /^[[{]/.test(value)) {
      try {
        return JSON.parse(value);
      } catch {
        return value;
      }
    }
    return value;
  };
  const plain = unwrap(inputs);
  if (!type.startsWith("pulumi:providers:")) {
    return plain;
  }
  return Object.fromEntries(Object.entries(plain).map(([key, value]) => [key, parseJson(value)]));
}

function mockOutputs(args: pulumi.runtime.MockResourceArgs): Record<string, any> {
  // Providers echo their inputs; a few computed attributes the program reads are filled in.
  switch (args.type) {
    case "docker:index/remoteImage:RemoteImage":
      return {
        ...args.inputs,
        imageId: `sha256:${args.name}`,
        repoDigest: `${args.inputs.name}@sha256:mock`,
      };
    case "docker:index/network:Network":
    case "docker:index/volume:Volume":
      return { ...args.inputs, name: args.inputs.name ?? args.name };
    default:
      return args.inputs;
  }
}

let installed = false;

function installRecorders(): void {
  if (installed) {
    return;
  }
  installed = true;
  const register = MockMonitor.prototype.registerResource;
  MockMonitor.prototype.registerResource = function (req: any, callback: any) {
    const raw = req.getObject()?.toJavaScript() ?? {};
    const propertyDependencies: string[] = [];
    req.getPropertydependenciesMap().forEach((deps: any) => {
      propertyDependencies.push(...deps.getUrnsList());
    });
    const hooks = req.getHooks();
    recorded.resources.push({
      type: req.getType(),
      name: req.getName(),
      urn: this.newUrn(req.getParent(), req.getType(), req.getName()),
      inputs: plainInputs(req.getType(), rpc.deserializeProperties(req.getObject())),
      secretInputs: Object.keys(raw).filter((key) => containsSecret(raw[key])),
      parent: req.getParent(),
      provider: req.getProvider(),
      dependencies: [...new Set([...req.getDependenciesList(), ...propertyDependencies])],
      beforeCreateHooks: hooks ? hooks.getBeforeCreateList() : [],
      deleteBeforeReplace: req.getDeletebeforereplace(),
      replaceOnChanges: req.getReplaceonchangesList(),
    });
    return register.call(this, req, callback);
  };
}

export interface MockOptions {
  /** Stack config, keys without the project namespace. Objects are JSON-encoded as the CLI does. */
  config?: Record<string, unknown>;
  /** Config keys (without namespace) set with `--secret`. */
  secretKeys?: string[];
  project?: string;
  stack?: string;
  preview?: boolean;
}

/**
 * Resets the recordings and installs fresh mocks with the given config. The SDK has no way to
 * remove mocks, so every test calls this first.
 */
export async function setupMocks(options: MockOptions = {}): Promise<void> {
  installRecorders();
  recorded.resources = [];
  recorded.invokes = [];
  recorded.hooks = [];
  invokeHandlers.clear();
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.config ?? {})) {
    config[`${projectName}:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
  }
  pulumi.runtime.setAllConfig(
    config,
    (options.secretKeys ?? []).map((key) => `${projectName}:${key}`),
  );
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: mockOutputs(args) }),
      call: (args) => {
        recorded.invokes.push({
          token: args.token,
          inputs: args.inputs,
          provider: args.provider ?? "",
        });
        const handler = invokeHandlers.get(args.token);
        if (!handler) {
          throw new Error(`test/mocks.ts: no handler for invoke ${args.token}`);
        }
        return handler(args.inputs);
      },
    },
    options.project ?? projectName,
    options.stack ?? "test",
    options.preview ?? false,
  );
  // Binding a ResourceHook under the SDK's mocks fails: the mock monitor has no
  // registerResourceHook, and the real callback server would keep the test process alive
  // (pulumi/pulumi#20874). This stand-in records the registration so tests can check which hooks
  // the program binds; the hook functions themselves are tested against a real Docker engine.
  runtimeState.getStore().callbacks = {
    registerResourceHook: async (hook: pulumi.ResourceHook) => {
      recorded.hooks.push(hook.name);
    },
    awaitStackRegistrations: async () => undefined,
    shutdown: () => undefined,
  };
}

/** Resolves an Output's value, failing the test instead of hanging when it is unknown. */
export async function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  const value = await (output as any).promise(true);
  const known = await (output as any).isKnown;
  if (!known) {
    throw new Error("promiseOf: the output is unknown");
  }
  return value as T;
}

/** Waits until every resource registration the program started has reached the mock monitor. */
export async function settle(): Promise<void> {
  await runtimeSettings.waitForRPCs();
}

export function resourcesOfType(type: string): RecordedResource[] {
  return recorded.resources.filter((resource) => resource.type === type);
}

export function resourceNamed(name: string): RecordedResource {
  const found = recorded.resources.filter((resource) => resource.name === name);
  if (found.length !== 1) {
    const names = recorded.resources.map((resource) => resource.name).join(", ");
    throw new Error(`expected one resource named ${name}, found ${found.length} among: ${names}`);
  }
  return found[0];
}
