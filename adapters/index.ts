/** Adapters between the contract and other ecosystems' session stores, one a file. */
export { fromCatbox } from './from-catbox.js';
export type { CatboxAdapterOptions, CatboxKey, CatboxLike } from './from-catbox.js';
export { EXPRESS_SESSION_IDS, fromExpressStore } from './from-express.js';
export type { ExpressStoreLike } from './connect-style.js';
export { fromFastifyStore } from './from-fastify.js';
export { fromKoaStore, KOA_SESSION_IDS } from './from-koa.js';
export type { KoaStoreLike } from './from-koa.js';
export { fromReactRouterStorage } from './from-react-router.js';
export type { ReactRouterSessionLike, ReactRouterStorageLike } from './from-react-router.js';
export type { AdapterOptions } from './target.js';
export { toExpressStore } from './to-express.js';
export type { ToExpressStoreOptions } from './to-express.js';
