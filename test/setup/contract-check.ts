/* After each end-to-end test: no response or socket message it caused broke the documents. */
import { contractViolations } from '../support/contract';

afterEach(() => {
  const seen = contractViolations.splice(0);
  if (seen.length > 0)
    throw new Error(`${seen.length} contract violation(s):\n${[...new Set(seen)].join('\n')}`);
});
