export function ConsoleApp() {
  return null;
}
