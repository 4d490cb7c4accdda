/* Preloaded (`node -r`) into the bench's server processes: when the orchestrator goes away —
 * even killed with SIGKILL — its end of our stdin pipe closes, and this process ends too. */
if (!process.stdin.isTTY) {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
}
export {};
