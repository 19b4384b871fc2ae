/**
 * What the fault-injection files share: whether each server can be started here (under CI=true a
 * missing one fails instead of skipping), the faults clause run alone, and a server stopped after use.
 */
import { existsSync } from 'node:fs';
import { expect } from 'vitest';
import { checkConformance, type ClauseResult } from '../../entry/index.js';
import { findOnPath, type LocalServer } from '../../servers/index.js';

export const hasRedis = Boolean(findOnPath('redis-server')) || process.env.CI === 'true';
export const hasCluster = Boolean(findOnPath('redis-server') && findOnPath('redis-cli')) || process.env.CI === 'true';
export const hasMemcached = Boolean(findOnPath('memcached')) || process.env.CI === 'true';
/** PostgreSQL's Debian binaries are not on PATH: the provisioning looks in /usr/lib/postgresql too. */
export const hasPostgres = Boolean(findOnPath('postgres')) || existsSync('/usr/lib/postgresql') || process.env.CI === 'true';

/** The faults clause's result for `target`: run alone, since it hurts the backend. */
export async function faultsClause(target: Parameters<typeof checkConformance>[0]): Promise<ClauseResult & { findings: Record<string, any> }> {
  const report = await checkConformance(target, { only: ['faults'], seed: 7 });
  const [result] = report.clauses;
  expect(result!.status).not.toBe('skipped');
  return result as ClauseResult & { findings: Record<string, any> };
}

export async function withServer<T>(server: LocalServer | Promise<LocalServer>, use: (server: LocalServer) => Promise<T>): Promise<T> {
  const started = await server;
  try {
    return await use(started);
  } finally {
    await started.stop();
  }
}
