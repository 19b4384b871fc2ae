/** Progress on long runs: a redrawn bar on a terminal, plain lines elsewhere (CI logs). */
export interface Progress {
  start(total: number): void;
  tick(label: string): void;
  done(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  let total = 0;
  let count = 0;
  const started = performance.now();
  return {
    start(n) {
      total = n;
    },
    tick(label) {
      count++;
      const elapsed = ((performance.now() - started) / 1000).toFixed(0);
      if (stream.isTTY) {
        const width = 24;
        const filled = Math.round((count / Math.max(total, 1)) * width);
        const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${count}/${total} ${elapsed}s ${label}`;
        stream.write(`\r${line.slice(0, (stream.columns || 100) - 1).padEnd((stream.columns || 100) - 1)}`);
      } else {
        stream.write(`[${count}/${total}] ${label}\n`);
      }
    },
    done() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
