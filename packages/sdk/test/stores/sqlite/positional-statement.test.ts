import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { PositionalStatement, toPositional } from '../../../src/stores/sqlite/positional-statement.js';

describe('toPositional', () => {
  it('turns each :name into ? in order, a name used twice into two', () => {
    expect(toPositional('UPDATE t SET a = :a, b = :b + :a WHERE id = :id_2')).toEqual({
      text: 'UPDATE t SET a = ?, b = ? + ? WHERE id = ?',
      names: ['a', 'b', 'a', 'id_2'],
    });
  });

  it('leaves colons in strings, quoted identifiers and comments alone', () => {
    const sql = `SELECT '{"cancelled":true}', 'it''s :not', "col:x" -- :nor\n, :yes /* :nor */ FROM t`;
    expect(toPositional(sql)).toEqual({
      text: `SELECT '{"cancelled":true}', 'it''s :not', "col:x" -- :nor\n, ? /* :nor */ FROM t`,
      names: ['yes'],
    });
  });

  it('refuses a statement that mixes ? and :name', () => {
    expect(() => toPositional('SELECT ? + :a')).toThrow(/mixes/);
  });
});

describe('PositionalStatement', () => {
  const db = () => {
    const db = new DatabaseSync(':memory:');
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER, c TEXT DEFAULT ':c')");
    return db;
  };

  it('binds an object’s values to the names, whatever the order of its keys', () => {
    const conn = db();
    new PositionalStatement(conn, 'INSERT INTO t (id, a, b) VALUES (:id, :a, :b + :b)').run({
      b: 2,
      a: 'x',
      id: 1,
    });
    expect(new PositionalStatement(conn, 'SELECT a, b, c FROM t WHERE id = :id').get({ id: 1 })).toEqual({
      a: 'x',
      b: 4,
      c: ':c',
    });
  });

  it('names a parameter the object lacks, and ignores keys the statement does not use', () => {
    const insert = new PositionalStatement(db(), 'INSERT INTO t (id, a) VALUES (:id, :a)');
    expect(() => insert.run({ id: 1 })).toThrow(':a has no value');
    expect(insert.run({ id: 2, a: null, unused: 'x' }).changes).toBe(1);
  });

  it('binds plain values to ? as they are', () => {
    const conn = db();
    new PositionalStatement(conn, 'INSERT INTO t (id, a) VALUES (?, ?)').run(7, 'y');
    expect(new PositionalStatement(conn, 'SELECT a FROM t WHERE id = ?').all(7)).toEqual([{ a: 'y' }]);
  });
});
