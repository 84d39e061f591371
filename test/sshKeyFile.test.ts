// The private key file the Docker provider's ssh reads: private, written once, rewritten if gone.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";

import { writeKeyFile } from "../components/sshKeyFile";

describe("writeKeyFile", () => {
  it("writes the key with a final newline, readable by its owner only, in a private directory", () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fleet-key-")), "keys");
    const file = writeKeyFile("-----BEGIN KEY-----\nabc", dir);
    assert.equal(fs.readFileSync(file, "utf8"), "-----BEGIN KEY-----\nabc\n");
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
  });

  it("gives every host of a site the same file, and writes it again when it was deleted", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-key-"));
    const first = writeKeyFile("key-a\n", dir);
    const mtime = fs.statSync(first).mtimeMs;
    assert.equal(writeKeyFile("key-a\n", dir), first);
    assert.equal(fs.statSync(first).mtimeMs, mtime);
    assert.notEqual(writeKeyFile("key-b\n", dir), first);
    fs.rmSync(first);
    assert.equal(writeKeyFile("key-a\n", dir), first);
    assert.equal(fs.readFileSync(first, "utf8"), "key-a\n");
  });
});
