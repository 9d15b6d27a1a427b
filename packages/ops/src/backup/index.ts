export { registryBackup, type RegistryBackupProps, type RegistryBackupResult } from './backup.js';
export { registryRestore, planRestore, type RegistryRestoreProps, type RegistryRestoreResult, type RestorePlan } from './restore.js';
export { pruneCopy, planPrune, type PrunePlan, type PruneResult } from './prune.js';
export { listInventories, loadInventory, INVENTORY_FOLDER } from './inventories.js';
