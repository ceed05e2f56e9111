// `npm start`: the example shop (examples/express-integration) with the SDK's engine on
// ./.prozvon/shop.db and the testkit's simulators of Bitrix24, Voximplant, SMS and Telegram, on an
// accelerated clock. The root script builds the example and what it depends on first.
// Ctrl-C stops everything; a second start resumes the unfinished leads.
import { join } from 'node:path';

process.env.PROZVON_DEMO = '1';
process.env.PROZVON_DATA_DIR ??= join(process.cwd(), '.prozvon');
await import('../examples/express-integration/dist/main.js');
