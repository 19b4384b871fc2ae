import type { Json } from './contract.js';

/**
 * A deep copy of JSON data, made in this module's realm. structuredClone copies as well, but
 * jest's environment hands test code the host realm's structuredClone: its copies are objects of
 * another realm, which a store's `Object.getPrototypeOf(data) === Object.prototype` check rejects,
 * and the suite would blame a correct store.
 */
export function cloneJson<T extends Json>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const copy: Json[] = [];
    for (const item of value) copy.push(cloneJson(item));
    return copy as T;
  }
  const copy: { [key: string]: Json } = {};
  // defineProperty, as an assignment to "__proto__" would set the prototype instead of the key.
  for (const [key, item] of Object.entries(value)) Object.defineProperty(copy, key, { value: cloneJson(item), enumerable: true, writable: true, configurable: true });
  return copy as T;
}
