// One image pulled with @azure/container-registry's ContainerRegistryContentClient: its manifest by tag and by
// digest, then its config and layers, each checked against its digest and against the OCI layout it was pushed
// from (ACRE_LAYOUT). The C# test pushed the amd64 image as pull:1.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { ContainerRegistryContentClient } from "@azure/container-registry";
import { credential } from "./acre.mjs";
import { clientOptions, endpoint, images, readAll, sha256 } from "./acr.mjs";

const layout = process.env.ACRE_LAYOUT;
const content = new ContainerRegistryContentClient(endpoint, "pull", credential(), clientOptions);
const fromLayout = digest => readFile(path.join(layout, "blobs", "sha256", digest.slice("sha256:".length)));

const byTag = await content.getManifest("1");
assert.equal(byTag.digest, images.amd64);
assert.equal(byTag.mediaType, "application/vnd.oci.image.manifest.v1+json");
assert.equal(sha256(byTag.content), images.amd64);
assert.deepEqual(byTag.content, await fromLayout(images.amd64));

const byDigest = await content.getManifest(images.amd64);
assert.deepEqual(byDigest.content, byTag.content);

const descriptors = [byTag.manifest.config, ...byTag.manifest.layers];
assert.ok(descriptors.length >= 2, JSON.stringify(byTag.manifest));
for (const descriptor of descriptors) {
    const blob = await content.downloadBlob(descriptor.digest);
    assert.equal(blob.digest, descriptor.digest);
    const bytes = await readAll(blob.content);
    assert.equal(bytes.length, descriptor.size, descriptor.digest);
    assert.equal(sha256(bytes), descriptor.digest);
    assert.deepEqual(bytes, await fromLayout(descriptor.digest), descriptor.digest);
}

const config = JSON.parse(await readAll((await content.downloadBlob(byTag.manifest.config.digest)).content));
assert.deepEqual([config.architecture, config.os], ["amd64", "linux"]);
console.log(`content: pull:1 pulled, manifest and ${descriptors.length} blobs match their digests`);
