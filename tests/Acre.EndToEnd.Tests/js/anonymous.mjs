// Anonymous pull through @azure/container-registry: clients with no credential at all get a token by the
// password grant with no user, which Acre honours only on a registry with anonymousPullEnabled, and for pull only.
import assert from "node:assert/strict";
import { ContainerRegistryManagementClient } from "@azure/arm-containerregistry";
import { ContainerRegistryClient, ContainerRegistryContentClient } from "@azure/container-registry";
import { armScope, credential, port, resourceManager, subscriptionId } from "./acre.mjs";
import { assertStatus, clientOptions, endpoint, readAll, registryEndpoint } from "./acr.mjs";

const name = "anonpull";
const repository = "hello";
const arm = new ContainerRegistryManagementClient(credential(), subscriptionId, {
    endpoint: resourceManager,
    credentials: { scopes: [armScope] },
});
const created = await arm.registries.beginCreateAndWait("acre", name, {
    location: "westus",
    sku: { name: "Standard" },
    anonymousPullEnabled: true,
});
assert.equal(created.anonymousPullEnabled, true);
assert.equal(created.loginServer, `${name}.azurecr.localhost:${port}`);

// A small image pushed by the signed-in service principal, to the public registry and to the default one.
const layer = Buffer.from("hello from an anonymous pull\n");
const image = { architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: [] } };
const size = uploaded => ({ digest: uploaded.digest, size: uploaded.sizeInBytes });
async function push(registry) {
    const signedIn = new ContainerRegistryContentClient(registry, repository, credential(), clientOptions);
    const config = await signedIn.uploadBlob(Buffer.from(JSON.stringify(image)));
    const blob = await signedIn.uploadBlob(layer);
    const manifest = {
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: { mediaType: "application/vnd.oci.image.config.v1+json", ...size(config) },
        layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", ...size(blob) }],
    };
    return (await signedIn.setManifest(manifest, { tag: "1" })).digest;
}
const digest = await push(registryEndpoint(name));
await push(endpoint);

// Pull, with no credential: the manifest by tag, then its layer, both checked against their digests.
const anonymous = new ContainerRegistryContentClient(registryEndpoint(name), repository, undefined, clientOptions);
const pulled = await anonymous.getManifest("1");
assert.equal(pulled.digest, digest);
const layerDigest = pulled.manifest.layers[0].digest;
assert.deepEqual(await readAll((await anonymous.downloadBlob(layerDigest)).content), layer);

// Anything but pull is refused: writes, deletes, and the metadata API, whose scopes anonymous callers never hold.
await assertStatus(anonymous.uploadBlob(Buffer.from("not allowed")), 401, "an anonymous blob upload");
await assertStatus(anonymous.setManifest(pulled.manifest, { tag: "2" }), 401, "an anonymous manifest push");
await assertStatus(anonymous.deleteManifest(digest), 401, "an anonymous manifest delete");
const metadata = new ContainerRegistryClient(registryEndpoint(name), clientOptions);
await assertStatus(metadata.listRepositoryNames().next(), 401, "an anonymous catalog");
await assertStatus(metadata.getArtifact(repository, "1").updateTagProperties("1", { canWrite: false }), 401,
    "an anonymous tag update");
await assertStatus(metadata.deleteRepository(repository), 401, "an anonymous repository delete");

// The tag is untouched, and the default registry, which does not allow anonymous pull, refuses it.
assert.equal((await anonymous.getManifest("1")).digest, digest);
const closed = new ContainerRegistryContentClient(endpoint, repository, undefined, clientOptions);
await assertStatus(closed.getManifest("1"), 401, "an anonymous pull where anonymous pull is off");

console.log(`anonymous: ${name}/${repository}:1 pulled with no credential; writes and metadata refused`);
