// ACR's metadata API through @azure/container-registry's ContainerRegistryClient, signed in through Acre's Entra ID.
// The C# test pushed, in this order: app:v1 (amd64), app:temp (amd64), app:v2 (arm64), multi:1 (an index over
// both) and doomed:1.
import assert from "node:assert/strict";
import { ContainerRegistryClient } from "@azure/container-registry";
import { credential } from "./acre.mjs";
import { assertDisallowed, assertStatus, clientOptions, collect, endpoint, images } from "./acr.mjs";

const client = new ContainerRegistryClient(endpoint, credential(), clientOptions);
const app = client.getRepository("app");
const amd64 = client.getArtifact("app", images.amd64);
const arm64 = client.getArtifact("app", "v2");

function sortedByTime(items, direction) {
    const times = items.map(i => i.lastUpdatedOn.getTime());
    const sorted = [...times].sort((a, b) => direction * (a - b));
    assert.deepEqual(times, sorted, `not sorted ${direction > 0 ? "ascending" : "descending"}`);
}

// Repositories: every one pushed, in name order; and paged by the SDK when asked for one at a time.
assert.deepEqual(await collect(client.listRepositoryNames()), ["app", "doomed", "multi"]);
const pages = await collect(client.listRepositoryNames().byPage({ maxPageSize: 1 }));
assert.deepEqual(pages.map(page => [...page]), [["app"], ["doomed"], ["multi"]]);

const repository = await app.getProperties();
assert.equal(repository.name, "app");
assert.match(repository.registryLoginServer, /^local\.azurecr\.localhost\b/);
assert.equal(repository.manifestCount, 2);
assert.equal(repository.tagCount, 3);
assert.ok(repository.createdOn <= repository.lastUpdatedOn, JSON.stringify(repository));
assert.deepEqual([repository.canDelete, repository.canWrite, repository.canRead, repository.canList],
    [true, true, true, true]);

// Tags in both orders of their last update, which is the order of the pushes.
const tagsDescending = await collect(amd64.listTagProperties({ order: "LastUpdatedOnDescending" }));
assert.deepEqual(tagsDescending.map(t => t.name), ["v2", "temp", "v1"]);
sortedByTime(tagsDescending, -1);
const tagsAscending = await collect(amd64.listTagProperties({ order: "LastUpdatedOnAscending" }));
assert.deepEqual(tagsAscending.map(t => t.name), ["v1", "temp", "v2"]);
sortedByTime(tagsAscending, 1);
assert.deepEqual(tagsAscending.map(t => t.digest), [images.amd64, images.amd64, images.arm64]);
const tagPages = await collect(amd64.listTagProperties({ order: "LastUpdatedOnDescending" })
    .byPage({ maxPageSize: 1 }));
assert.deepEqual(tagPages.map(page => page.map(t => t.name)), [["v2"], ["temp"], ["v1"]]);

// Manifests in both orders, with their platforms and tags.
const manifestsDescending = await collect(app.listManifestProperties({ order: "LastUpdatedOnDescending" }));
assert.deepEqual(manifestsDescending.map(m => m.digest), [images.arm64, images.amd64]);
sortedByTime(manifestsDescending, -1);
const manifestsAscending = await collect(app.listManifestProperties({ order: "LastUpdatedOnAscending" }));
assert.deepEqual(manifestsAscending.map(m => m.digest), [images.amd64, images.arm64]);
sortedByTime(manifestsAscending, 1);
assert.deepEqual(manifestsAscending.map(m => [m.architecture, m.operatingSystem]), [["amd64", "linux"],
    ["arm64", "linux"]]);
assert.deepEqual(manifestsAscending.map(m => [...m.tags].sort()), [["temp", "v1"], ["v2"]]);
assert.ok(manifestsAscending.every(m => m.sizeInBytes > 0 && m.repositoryName === "app"));
const manifestPages = await collect(app.listManifestProperties({ order: "LastUpdatedOnAscending" })
    .byPage({ maxPageSize: 1 }));
assert.deepEqual(manifestPages.map(page => page.map(m => m.digest)), [[images.amd64], [images.arm64]]);

// One tag and one manifest read by name, the manifest both by digest and through its tag.
const tag = await amd64.getTagProperties("v1");
assert.equal(tag.digest, images.amd64);
assert.equal(tag.repositoryName, "app");
assert.deepEqual([tag.canDelete, tag.canWrite, tag.canRead, tag.canList], [true, true, true, true]);
const manifest = await amd64.getManifestProperties();
assert.equal(manifest.digest, images.amd64);
assert.equal(manifest.architecture, "amd64");
assert.equal((await arm64.getManifestProperties()).digest, images.arm64);

// An index lists its children's platforms.
const index = await client.getArtifact("multi", "1").getManifestProperties();
assert.equal(index.digest, images.index);
assert.deepEqual(index.relatedArtifacts.map(r => [r.digest, r.architecture, r.operatingSystem]),
    [[images.amd64, "amd64", "linux"], [images.arm64, "arm64", "linux"]]);

// Repository attributes: the SDK's update is returned and kept, and deleteEnabled: false is enforced.
const locked = await app.updateProperties({ canDelete: false, canList: true });
assert.deepEqual([locked.canDelete, locked.canWrite], [false, true]);
assert.equal((await app.getProperties()).canDelete, false);
await assertDisallowed(app.delete(), "deleting a repository with deleteEnabled: false");
assert.equal((await app.updateProperties({ canDelete: true })).canDelete, true);

// Tag attributes: writeEnabled: false keeps the tag from being deleted.
const lockedTag = await amd64.updateTagProperties("temp", { canWrite: false });
assert.deepEqual([lockedTag.name, lockedTag.canWrite, lockedTag.canDelete], ["temp", false, true]);
assert.equal((await amd64.getTagProperties("temp")).canWrite, false);
await assertDisallowed(amd64.deleteTag("temp"), "deleting a tag with writeEnabled: false");
await amd64.updateTagProperties("temp", { canWrite: true });

// Manifest attributes: deleteEnabled: false keeps the manifest from being deleted.
const lockedManifest = await arm64.updateManifestProperties({ canDelete: false, canRead: true });
assert.deepEqual([lockedManifest.digest, lockedManifest.canDelete, lockedManifest.canRead],
    [images.arm64, false, true]);
assert.equal((await arm64.getManifestProperties()).canDelete, false);
await assertDisallowed(arm64.delete(), "deleting a manifest with deleteEnabled: false");
await arm64.updateManifestProperties({ canDelete: true });

// Delete a tag: its manifest stays with the other tag.
await amd64.deleteTag("temp");
await assertStatus(amd64.getTagProperties("temp"), 404, "a deleted tag");
assert.deepEqual((await amd64.getManifestProperties()).tags, ["v1"]);

// Delete a manifest (by the digest its tag resolves to): it goes with its tag.
await arm64.delete();
await assertStatus(client.getArtifact("app", images.arm64).getManifestProperties(), 404, "a deleted manifest");
assert.deepEqual((await collect(app.listManifestProperties())).map(m => m.digest), [images.amd64]);
assert.deepEqual((await collect(amd64.listTagProperties())).map(t => t.name), ["v1"]);
const remaining = await app.getProperties();
assert.deepEqual([remaining.manifestCount, remaining.tagCount], [1, 1]);

// Delete a repository: it leaves the catalog and its metadata is gone.
await client.deleteRepository("doomed");
assert.deepEqual(await collect(client.listRepositoryNames()), ["app", "multi"]);
await assertStatus(client.getRepository("doomed").getProperties(), 404, "a deleted repository");

console.log("metadata: repositories, tags and manifests listed, read, updated, locked and deleted through the SDK");
