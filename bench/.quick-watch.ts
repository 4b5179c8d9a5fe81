import { watchFigures } from './watch';
await watchFigures({ accounts: 50, runs: 1 });
