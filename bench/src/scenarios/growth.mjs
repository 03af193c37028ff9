import { measure } from '../measure.mjs';
import { growthConnections } from '../settings.mjs';
import { listRequests } from './requests.mjs';

/**
 * The default list (limit 100, newest first) for users owning 100, 10,000 and 100,000 tasks. Each
 * answer is 100 tasks, so any difference between the rows is the query's access path.
 */
export async function measureGrowth(server, growthUsers, tokens, seconds) {
  const rows = [];
  for (const user of growthUsers) {
    const requests = listRequests([user], tokens);
    const result = await measure(
      server,
      { requests, connections: growthConnections },
      { duration: seconds, warmup: 1 },
    );
    rows.push({ tasks: user.size, ...result });
  }
  return rows;
}
