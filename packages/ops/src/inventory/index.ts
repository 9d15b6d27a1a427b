export { INVENTORY_FORMAT, INVENTORY_FORMAT_VERSION, parseInventory, readInventory, referencedDigests, writeInventory, type Inventory, type ManifestEntry, type RepositoryInventory } from './format.js';
export { takeInventory, type InventorySource, type TakeInventoryOptions } from './take.js';
