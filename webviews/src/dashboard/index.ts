// What the dashboard's host (the extension, later the web console) needs: the page shell and the
// message schemas. The page's own code (main.ts) is bundled separately for the browser.
export { dashboardHtml, type DashboardPage } from './html.js';
export { FromDashboard, ToDashboard } from './messages.js';
