// Vitest's setup file: a test file's temp folders are removed once its tests and hooks are done.
// Hooks after tests run in reverse order, so this one, registered first, runs after the file's own
// (which stop the servers using the folders). Vitest ends its workers without an 'exit' event.
import { afterAll } from 'vitest';
import { removeTempDirs } from './test-services.ts';

afterAll(removeTempDirs);
