// An append-only record of what the doubles received, written with appendFileSync: once a line is
// written the kernel has it, so it survives the SIGKILL that ends the process a moment later.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

// Several processes may append to one log at once (two engine instances); lines are far shorter
// than PIPE_BUF, so O_APPEND keeps each whole, and a look-up that misses reads the file again.
export class DurableLog {
  constructor(path) {
    this.path = path;
    /** @type {string[][]} */
    this.entries = this.#read();
  }

  #read() {
    return existsSync(this.path)
      ? readFileSync(this.path, 'utf8')
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
    const match = (entry) => entry[0] === kind && entry[1] === key;
    const known = this.entries.find(match);
    if (known) return known;
    this.entries = this.#read();
    return this.entries.find(match);
  }

  count(kind) {
    this.entries = this.#read();
    return this.entries.filter((entry) => entry[0] === kind).length;
  }
}
