// An append-only record of what the doubles received, written with appendFileSync: once a line is
// written the kernel has it, so it survives the SIGKILL that ends the process a moment later.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

export class DurableLog {
  constructor(path) {
    this.path = path;
    /** @type {string[][]} */
    this.entries = existsSync(path)
      ? readFileSync(path, 'utf8')
          .split('\n')
          .filter((line) => line.length > 0)
          .map((line) => line.split(' '))
      : [];
  }

  append(...fields) {
    appendFileSync(this.path, `${fields.join(' ')}\n`);
    this.entries.push(fields.map(String));
  }

  find(kind, key) {
    return this.entries.find((entry) => entry[0] === kind && entry[1] === key);
  }

  count(kind) {
    return this.entries.filter((entry) => entry[0] === kind).length;
  }
}
