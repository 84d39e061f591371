// The registry client against a small local registry double on 127.0.0.1 that answers the way
// GHCR does: a 401 with a Bearer challenge, a token endpoint, then manifests and the config blob.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";

import { lookupTag, parseChallenge, parseReference, registryBaseUrl } from "../../status/registry";

const config = JSON.stringify({
  created: "2026-12-01T10:00:00Z",
  architecture: "amd64",
  os: "linux",
});
const configDigest = `sha256:${createHash("sha256").update(config).digest("hex")}`;
const imageManifest = JSON.stringify({
  schemaVersion: 2,
  mediaType: "application/vnd.oci.image.manifest.v1+json",
  config: {
    mediaType: "application/vnd.oci.image.config.v1+json",
    digest: configDigest,
    size: config.length,
  },
  layers: [],
});
const imageDigest = `sha256:${createHash("sha256").update(imageManifest).digest("hex")}`;
const index = JSON.stringify({
  schemaVersion: 2,
  mediaType: "application/vnd.oci.image.index.v1+json",
  manifests: [
    { digest: `sha256:${"0".repeat(64)}`, platform: { os: "unknown", architecture: "unknown" } },
    { digest: imageDigest, platform: { os: "linux", architecture: "amd64" } },
  ],
});
const indexDigest = `sha256:${createHash("sha256").update(index).digest("hex")}`;

/** Requests the double saw, for asserting on the auth it was sent. */
const seen: { url: string; authorization?: string; accept?: string }[] = [];
let server: http.Server;
let base: string;

before(async () => {
  server = http.createServer((request, response) => {
    const url = request.url ?? "";
    seen.push({
      url,
      authorization: request.headers.authorization,
      accept: request.headers.accept,
    });
    if (url.startsWith("/token")) {
      const scope = new URL(url, base).searchParams.get("scope");
      // "private" needs credentials, like a private GHCR package.
      if (scope === "repository:acme/private:pull" && request.headers.authorization === undefined) {
        response.writeHead(403).end();
        return;
      }
      response
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ token: "t0k3n" }));
      return;
    }
    const repository = /^\/v2\/(acme\/[a-z]+)\//.exec(url)?.[1];
    if (request.headers.authorization !== "Bearer t0k3n") {
      response
        .writeHead(401, {
          "www-authenticate": `Bearer realm="${base}/token",service="registry.test",scope="repository:${repository}:pull"`,
        })
        .end();
      return;
    }
    const bodies: Record<string, [string, string, boolean]> = {
      "/v2/acme/orch/manifests/autonomy-latest": [index, indexDigest, true],
      // No Docker-Content-Digest: the client hashes the bytes itself.
      "/v2/acme/bare/manifests/autonomy-latest": [imageManifest, imageDigest, false],
      [`/v2/acme/orch/manifests/${imageDigest}`]: [imageManifest, imageDigest, true],
      [`/v2/acme/orch/blobs/${configDigest}`]: [config, configDigest, true],
      [`/v2/acme/bare/blobs/${configDigest}`]: [config, configDigest, true],
    };
    // The private package holds the same image as the public one.
    const found = bodies[url.replace("/v2/acme/private/", "/v2/acme/orch/")];
    if (found === undefined) {
      response.writeHead(404).end();
      return;
    }
    const [body, digest, withHeader] = found;
    response.writeHead(200, withHeader ? { "docker-content-digest": digest } : {}).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.close();
});

test("reads the tag's digest and build time through an anonymous bearer token", async () => {
  seen.length = 0;

  const facts = await lookupTag("ghcr.io/acme/orch:autonomy-latest", { baseUrl: base });

  assert.deepEqual(facts, { ok: true, digest: indexDigest, created: "2026-12-01T10:00:00Z" });
  assert.equal(seen[0].authorization, undefined);
  assert.match(seen[0].accept ?? "", /^application\/vnd\.oci\.image\.index\.v1\+json, /);
  assert.equal(seen[1].url, "/token?service=registry.test&scope=repository%3Aacme%2Forch%3Apull");
  assert.equal(seen[2].authorization, "Bearer t0k3n");
});

test("hashes the manifest itself when the registry sends no Docker-Content-Digest", async () => {
  const facts = await lookupTag("ghcr.io/acme/bare:autonomy-latest", { baseUrl: base });

  assert.deepEqual(facts, { ok: true, digest: imageDigest, created: "2026-12-01T10:00:00Z" });
});

test("a private package without a token says which variable to set", async () => {
  const facts = await lookupTag("ghcr.io/acme/private:autonomy-latest", { baseUrl: base });

  assert.deepEqual(facts, {
    ok: false,
    reason:
      `cannot ask the registry at ${base} about acme/private:autonomy-latest: the registry refused a pull token for ` +
      `acme/private (HTTP 403 from ${base}): the package is private or does not exist; set ` +
      "FLEET_STATUS_REGISTRY_TOKEN to a token with read:packages",
  });
});

test("a token is sent to the token endpoint as Basic credentials with its user", async () => {
  seen.length = 0;

  const facts = await lookupTag("ghcr.io/acme/private:autonomy-latest", {
    baseUrl: base,
    token: "ghp_x",
    user: "bot",
  });

  assert.equal(facts.ok, true);
  assert.equal(seen[1].authorization, `Basic ${Buffer.from("bot:ghp_x").toString("base64")}`);
});

test("a tag the registry does not have is reported as such", async () => {
  const facts = await lookupTag("ghcr.io/acme/orch:nope", { baseUrl: base });

  assert.deepEqual(facts, {
    ok: false,
    reason: `the registry at ${base} has no acme/orch:nope (HTTP 404)`,
  });
});

test("a registry that does not answer gives the connection error", async () => {
  const closed = await new Promise<number>((resolve) => {
    const probe = http.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });

  const facts = await lookupTag("ghcr.io/acme/orch:autonomy-latest", {
    baseUrl: `http://127.0.0.1:${closed}`,
  });

  assert.deepEqual(facts, {
    ok: false,
    reason:
      `cannot ask the registry at http://127.0.0.1:${closed} about acme/orch:autonomy-latest: ` +
      `connect ECONNREFUSED 127.0.0.1:${closed}`,
  });
});

test("derives the API base: https, plain http on loopback, or the override", () => {
  assert.equal(registryBaseUrl("ghcr.io"), "https://ghcr.io");
  assert.equal(registryBaseUrl("127.0.0.1:5000"), "http://127.0.0.1:5000");
  assert.equal(registryBaseUrl("localhost:5000"), "http://localhost:5000");
  assert.equal(registryBaseUrl("ghcr.io", "http://127.0.0.1:5000/"), "http://127.0.0.1:5000");
});

test("splits references and challenges", () => {
  assert.deepEqual(parseReference("ghcr.io/acme/autonomy-orchestrator:autonomy-latest"), {
    registry: "ghcr.io",
    repository: "acme/autonomy-orchestrator",
    tag: "autonomy-latest",
  });
  assert.deepEqual(parseReference("127.0.0.1:5000/a/b"), {
    registry: "127.0.0.1:5000",
    repository: "a/b",
    tag: "latest",
  });
  assert.deepEqual(
    parseChallenge(
      'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:a/b:pull"',
    ),
    {
      scheme: "bearer",
      params: { realm: "https://ghcr.io/token", service: "ghcr.io", scope: "repository:a/b:pull" },
    },
  );
  assert.deepEqual(parseChallenge('Basic realm="Registry"'), {
    scheme: "basic",
    params: { realm: "Registry" },
  });
  assert.equal(parseChallenge(null), undefined);
});
