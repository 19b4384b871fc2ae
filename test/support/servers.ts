import { BackendUnavailable, provision, type Backend, type ProvisionedServer, type ProvisionOptions } from '../../servers/index.js';

/**
 * A server for a test file, or the reason there is none. Under CI=true (or
 * SESSION_CONFORMANCE_REQUIRE) a missing server throws, failing the file instead of skipping it.
 */
export async function serverFor(backend: Backend, options?: ProvisionOptions): Promise<{ server: ProvisionedServer } | { skip: string }> {
  try {
    return { server: await provision(backend, options) };
  } catch (error) {
    if (error instanceof BackendUnavailable && !error.required) return { skip: error.message };
    throw error;
  }
}
