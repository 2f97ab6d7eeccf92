import { FromDashboard, ToDashboard } from './messages.js';
import { renderError, renderSummary, type DashboardActions } from './render.js';

/** The part of VS Code's webview API the page uses (the global the webview host provides). */
declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

const vscode = acquireVsCodeApi();
const root = document.getElementById('dashboard') as HTMLElement;

/** Posts only what the schema allows, so a bug here cannot send the host something it would reject. */
function post(message: FromDashboard): void {
  vscode.postMessage(FromDashboard.parse(message));
}

const actions: DashboardActions = {
  openFile: (uri) => post({ type: 'openFile', uri }),
  refresh: () => post({ type: 'refresh' }),
};

window.addEventListener('message', (event: MessageEvent) => {
  const parsed = ToDashboard.safeParse(event.data);
  if (!parsed.success) {
    console.warn('Auxil dashboard ignored a message it does not understand');
    return;
  }
  const message = parsed.data;
  if (message.type === 'summary') renderSummary(root, message.summary, actions);
  else renderError(root, message.message, actions);
});

post({ type: 'ready' });
