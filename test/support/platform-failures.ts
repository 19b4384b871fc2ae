import type { ClauseResult } from '../../suite/result.js';
import { jsonParseHasKeyCacheBug } from '../../suite/platform.js';

/**
 * Whether a failure is V8's, not the store's: on Node 24 and 25 a store that decodes with
 * JSON.parse can fail a data clause through the key bug (nodejs/node#63785), and the suite says so
 * with a platform note. Tests that pin a third-party store's verdict excuse only such a failure,
 * of a clause they did not expect to fail, and only on a Node that has the bug.
 */
export function failedThroughPlatform(result: ClauseResult, expectedToFail: boolean): boolean {
  return result.status === 'fail' && !expectedToFail && result.platformNote !== undefined && jsonParseHasKeyCacheBug();
}
