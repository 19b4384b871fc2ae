/**
 * A load-generating thread: opens each target it is sent, once, with its own connections, and
 * runs closed loops on it, sending back the raw histograms (not percentiles) to be merged.
 */
import { parentPort } from 'node:worker_threads';
import { contextFactory } from './context.js';
import { closeSpecExports } from './load-stores.js';
import { closedLoopRecorded, observedLoad } from './measure.js';
import { openRecipe } from './recipes.js';
import type { OpenedStore } from './targets.js';
import type { WorkerJob, WorkerReply } from './workers.js';
import { messageOf } from '../suite/describe-value.js';

const port = parentPort!;
const stores = new Map<string, Promise<OpenedStore>>();
const contexts = new Map<string, ReturnType<typeof contextFactory>>();

async function run(job: WorkerJob): Promise<WorkerReply> {
  const key = JSON.stringify(job.recipe);
  let opening = stores.get(key);
  if (!opening) stores.set(key, (opening = openRecipe(job.recipe)));
  const store = await opening;
  let contextFor = contexts.get(job.prefix);
  if (!contextFor) contexts.set(job.prefix, (contextFor = contextFactory(job.prefix)));
  const { recorder, load } = await observedLoad(() => closedLoopRecorded(contextFor(store, job.scenario), job.loop));
  const { histograms, ops, errors, misses, warmupOps, firstError } = recorder;
  return { id: job.id, recorded: { histograms, ops, errors, misses, warmupOps, firstError }, load };
}

port.on('message', (message: WorkerJob | 'close') => {
  if (message === 'close') {
    void Promise.allSettled([...stores.values()].map(async (s) => (await s).close()))
      .then(closeSpecExports)
      .then(() => port.postMessage('closed'));
    return;
  }
  run(message).then(
    (reply) => port.postMessage(reply),
    (error: unknown) => port.postMessage({ id: message.id, error: messageOf(error) } satisfies WorkerReply),
  );
});
