// `npm start`: the example shop (examples/express-integration) with the SDK's engine on
// ./.prozvon/shop.db, and beside it the Bitrix24 app on ./.prozvon/app.db with two simulated
// portals that installed it (packages/b24-app), each against the testkit's simulators. The root
// script builds both first. `.prozvon/demo.json` holds the app's URLs and each portal's intake
// secret. Ctrl-C stops everything; a second start resumes the unfinished leads.
import { join } from 'node:path';

process.env.PROZVON_DEMO = '1';
process.env.PROZVON_DATA_DIR ??= join(process.cwd(), '.prozvon');
const { runDemo } = await import('../examples/express-integration/dist/demo.js');
const { demoPhonePresets } = await import('../examples/express-integration/dist/demo-numbers.js');
const { runAppDemo } = await import('../packages/b24-app/dist/demo/app-demo.js');
const { stopOnSignals } = await import('../examples/express-integration/dist/stop-on-signals.js');

const stopShop = await runDemo(process.env);
const app = await runAppDemo(process.env, demoPhonePresets());
stopOnSignals(() => Promise.all([stopShop(), app.stop()]));
