export function DashboardApp() {
  return null;
}
