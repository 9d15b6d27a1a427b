import { BackupError } from '../errors.js';
import { inventoryJson, parseInventory, type Inventory } from '../inventory/format.js';
import type { ObjectStore } from '../s3/store.js';

/** Folder of the copy that holds one inventory per backup run; beside the registry's `docker/` tree. */
export const INVENTORY_FOLDER = 'inventories';

/** The name of a run's inventory: its time, so names sort by age (`2026-11-25T18-30-00.123Z.json`). */
export function inventoryName(takenAt: string): string {
  return `${takenAt.replace(/:/g, '-')}.json`;
}

/** Names of the inventories stored in a copy, newest first. */
export async function listInventories(copy: ObjectStore): Promise<string[]> {
  const objects = await copy.list(INVENTORY_FOLDER + '/');
  return objects
    .map((o) => o.key.slice(INVENTORY_FOLDER.length + 1))
    .filter((name) => name.endsWith('.json') && !name.includes('/'))
    .sort()
    .reverse();
}

export async function storeInventory(copy: ObjectStore, inventory: Inventory): Promise<string> {
  const name = inventoryName(inventory.takenAt);
  await copy.putText(`${INVENTORY_FOLDER}/${name}`, inventoryJson(inventory), 'application/json');
  return name;
}

/** Loads an inventory by name (with or without `.json`, or with the folder). */
export async function loadInventory(copy: ObjectStore, name: string): Promise<Inventory> {
  const base = name.replace(new RegExp(`^${INVENTORY_FOLDER}/`), '');
  const file = base.endsWith('.json') ? base : `${base}.json`;
  const key = `${INVENTORY_FOLDER}/${file}`;
  let text: string;
  try {
    text = await copy.getText(key);
  } catch (err) {
    if ((err as { name?: string }).name === 'NoSuchKey') {
      const known = await listInventories(copy);
      throw new BackupError(`no inventory "${file}" in ${copy.url}/${INVENTORY_FOLDER}/ (newest: ${known.slice(0, 5).join(', ') || 'none'})`);
    }
    throw err;
  }
  return parseInventory(text, `${copy.url}/${key}`);
}
