// @livestate/client: the native-protocol SDK (docs/sdk-js.md).
export { LivestateClient } from './client.js';
export { LivestateError } from './room.js';
export { memoryStorage, fileStorage, indexedDbStorage } from './storage.js';
