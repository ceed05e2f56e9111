import { testImportOnOldNode } from '@prozvon/testkit/vitest';

// On Node 20 the built adapter must refuse to load, saying which Node it needs (through @prozvon/sdk).
testImportOnOldNode('@prozvon/adapters-bitrix24', new URL('../..', import.meta.url));
