import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compatibleStyles, fileNameStyle, namingStyle, type NamingStyle } from '../../src/engine/symbols/naming.js';

describe('namingStyle', () => {
  const table: [string, NamingStyle][] = [
    ['getUser', 'camelCase'],
    ['GetUser', 'PascalCase'],
    ['get_user', 'snake_case'],
    ['GET_USER', 'UPPER_CASE'],
    ['get-user', 'kebab-case'],
    ['user', 'lowercase'],
    ['User', 'PascalCase'],
    ['USER', 'UPPER_CASE'],
    ['T', 'UPPER_CASE'],
    ['x', 'lowercase'],
    ['HTTPServer', 'PascalCase'],
    ['parseHTTPResponse', 'camelCase'],
    ['utf8', 'lowercase'],
    ['md5Hash', 'camelCase'],
    ['Base64', 'PascalCase'],
    ['V2_API', 'UPPER_CASE'],
    ['get_user2', 'snake_case'],
    ['getUser_name', 'mixed'],
    ['Get_user', 'mixed'],
    ['get-User', 'mixed'],
    ['get_user-name', 'mixed'],
  ];
  for (const [name, style] of table) {
    test(`${name} is ${style}`, () => assert.equal(namingStyle(name), style));
  }

  test('sigils and affixes carry no style: leading $, _ and #, trailing _, and a Ruby ?, ! or =', () => {
    assert.equal(namingStyle('_private'), 'lowercase');
    assert.equal(namingStyle('__init__'), 'lowercase');
    assert.equal(namingStyle('_internalHelper'), 'camelCase');
    assert.equal(namingStyle('$scope'), 'lowercase');
    assert.equal(namingStyle('$userName'), 'camelCase');
    assert.equal(namingStyle('#secretKey'), 'camelCase');
    assert.equal(namingStyle('class_'), 'lowercase');
    assert.equal(namingStyle('valid?'), 'lowercase');
    assert.equal(namingStyle('save!'), 'lowercase');
    assert.equal(namingStyle('is_valid?'), 'snake_case');
    assert.equal(namingStyle('name='), 'lowercase');
  });

  test('a name with no letters left is mixed', () => {
    assert.equal(namingStyle(''), 'mixed');
    assert.equal(namingStyle('_'), 'mixed');
    assert.equal(namingStyle('$$'), 'mixed');
  });

  test('letters beyond ASCII count by their case', () => {
    assert.equal(namingStyle('größeBerechnen'), 'camelCase');
    assert.equal(namingStyle('Ärger'), 'PascalCase');
    assert.equal(namingStyle('ключ'), 'lowercase');
  });
});

describe('fileNameStyle', () => {
  const table: [string, NamingStyle][] = [
    ['user-service.ts', 'kebab-case'],
    ['user.service.ts', 'lowercase'],
    ['user-profile.component.ts', 'kebab-case'],
    ['userCard.test.tsx', 'camelCase'],
    ['UserCard.tsx', 'PascalCase'],
    ['user_service.py', 'snake_case'],
    ['test_user_service.py', 'snake_case'],
    ['__init__.py', 'lowercase'],
    ['_app.tsx', 'lowercase'],
    ['.eslintrc.cjs', 'lowercase'],
    ['001_create_users.py', 'snake_case'],
    ['InvoiceService.java', 'PascalCase'],
    ['src/components/Button.tsx', 'PascalCase'],
    ['lib\\text-index.js', 'kebab-case'],
    ['Makefile', 'PascalCase'],
    ['README', 'UPPER_CASE'],
  ];
  for (const [name, style] of table) {
    test(`${name} is ${style}`, () => assert.equal(fileNameStyle(name), style));
  }
});

describe('compatibleStyles', () => {
  test('a single lowercase word fits camelCase, snake_case and kebab-case, so it never deviates from them', () => {
    assert.deepEqual([...compatibleStyles('lowercase', 'user')].sort(), ['camelCase', 'kebab-case', 'lowercase', 'snake_case']);
  });

  test('a single all-caps word (an acronym) fits UPPER_CASE and PascalCase; one with an underscore only UPPER_CASE', () => {
    assert.deepEqual([...compatibleStyles('UPPER_CASE', 'URL')].sort(), ['PascalCase', 'UPPER_CASE']);
    assert.deepEqual(compatibleStyles('UPPER_CASE', 'MAX_SIZE'), ['UPPER_CASE']);
  });

  test('every other style fits only itself', () => {
    assert.deepEqual(compatibleStyles('camelCase', 'getUser'), ['camelCase']);
    assert.deepEqual(compatibleStyles('mixed', 'get_User'), ['mixed']);
  });
});
