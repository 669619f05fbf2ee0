// A repository name with a slash, as most real ones have. @azure/container-registry escapes the whole name as one
// path parameter (`/acr/v1/team%2Fapp/_tags`, `/v2/team%2Fapp/manifests/1`), which ACR accepts. The C# test
// pushed the amd64 image as team/app:1.
import assert from "node:assert/strict";
import { ContainerRegistryClient, ContainerRegistryContentClient } from "@azure/container-registry";
import { credential } from "./acre.mjs";
import { clientOptions, collect, endpoint, images } from "./acr.mjs";

const client = new ContainerRegistryClient(endpoint, credential(), clientOptions);
const repository = client.getRepository("team/app");
const artifact = client.getArtifact("team/app", "1");

assert.deepEqual(await collect(client.listRepositoryNames()), ["team/app"]);
const properties = await repository.getProperties();
assert.deepEqual([properties.name, properties.manifestCount, properties.tagCount], ["team/app", 1, 1]);
assert.deepEqual((await collect(artifact.listTagProperties())).map(t => [t.name, t.digest]), [["1", images.amd64]]);
assert.deepEqual((await collect(repository.listManifestProperties())).map(m => m.digest), [images.amd64]);
assert.equal((await artifact.getManifestProperties()).digest, images.amd64);
assert.equal((await artifact.updateTagProperties("1", { canDelete: false })).canDelete, false);

const content = new ContainerRegistryContentClient(endpoint, "team/app", credential(), clientOptions);
assert.equal((await content.getManifest("1")).digest, images.amd64);

console.log("nested names: team/app read, updated and pulled through the SDK");
