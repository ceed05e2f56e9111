import { MemoryRestLog } from '../../src/rest-log/memory-rest-log.js';
import { restLogContract } from './rest-log-contract.js';

restLogContract('memory', () => new MemoryRestLog());
