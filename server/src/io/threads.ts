// How many threads share an index's reads or a freshness check's stats besides the one that
// starts them: one fewer than the cores (that one works too), at least one, at most three.
import * as os from 'os';

export const helperThreads = () => Math.max(1, Math.min(os.availableParallelism() - 1, 3));
