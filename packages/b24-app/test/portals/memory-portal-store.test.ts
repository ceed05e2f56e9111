import { MemoryPortalStore } from '../../src/portals/memory-portal-store.js';
import { portalStoreContract } from './portal-store-contract.js';

portalStoreContract('memory', () => new MemoryPortalStore());
