import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analysedExtensions, isJsx, languageForPath } from '../../src/engine/lexing/languages.js';

describe('languageForPath', () => {
  test('every documented extension maps to its language', () => {
    const expected: Record<string, string> = {
      ts: 'typescript',
      tsx: 'typescript',
      mts: 'typescript',
      cts: 'typescript',
      js: 'javascript',
      jsx: 'javascript',
      mjs: 'javascript',
      cjs: 'javascript',
      py: 'python',
      pyi: 'python',
      java: 'java',
      go: 'go',
      cs: 'csharp',
      c: 'c',
      h: 'c',
      cc: 'cpp',
      cpp: 'cpp',
      cxx: 'cpp',
      hpp: 'cpp',
      hh: 'cpp',
      hxx: 'cpp',
      'c++': 'cpp',
      rs: 'rust',
      kt: 'kotlin',
      kts: 'kotlin',
      php: 'php',
      phtml: 'php',
      rb: 'ruby',
      rake: 'ruby',
      gemspec: 'ruby',
    };
    for (const [extension, language] of Object.entries(expected))
      assert.equal(languageForPath(`src/file.${extension}`), language, extension);
    assert.deepEqual([...analysedExtensions()].sort(), Object.keys(expected).sort());
  });

  test('extensions match case-insensitively', () => {
    assert.equal(languageForPath('Main.JAVA'), 'java');
    assert.equal(languageForPath('App.TsX'), 'typescript');
    assert.equal(languageForPath('LIB.C++'), 'cpp');
  });

  test('only the file name counts: dots in folders, no extension, and unknown extensions give undefined', () => {
    assert.equal(languageForPath('src.v2/Makefile'), undefined);
    assert.equal(languageForPath('C:\\repo.git\\README'), undefined);
    assert.equal(languageForPath('notes.txt'), undefined);
    assert.equal(languageForPath('archive.tar.gz'), undefined);
    assert.equal(languageForPath('types.d.ts'), 'typescript');
    assert.equal(languageForPath('weird.constructor'), undefined);
    assert.equal(languageForPath('proto.__proto__'), undefined);
  });
});

describe('isJsx', () => {
  test('.jsx, .tsx and the JavaScript extensions may hold JSX; .ts and other languages never', () => {
    for (const path of ['a.jsx', 'a.tsx', 'a.js', 'a.mjs', 'a.cjs', 'A.TSX']) assert.equal(isJsx(path), true, path);
    for (const path of ['a.ts', 'a.mts', 'a.cts', 'a.py', 'jsx']) assert.equal(isJsx(path), false, path);
  });
});
