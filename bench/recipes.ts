/** Opens a target from its recipe: what a worker thread does to get connections of its own. */
import { openSpec } from './load-stores.js';
import { openPeer } from './peers.js';
import { openReference, type OpenedStore, type Recipe } from './targets.js';

export function openRecipe(recipe: Recipe): Promise<OpenedStore> {
  switch (recipe.from) {
    case 'reference':
      return openReference(recipe);
    case 'module':
      return openSpec(recipe.spec);
    case 'peer':
      return openPeer(recipe);
  }
}
