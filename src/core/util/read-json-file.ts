import fs from 'node:fs';
import { OrchestratorError } from '../../shared/errors';
import { parseJsonBytes } from './parse-json-bytes';

/** Reads a JSON file a person pointed us at; a missing, malformed or non-UTF-8 file is an error naming `field`. */
export function readJsonFile(file: string, field: string): unknown {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw new OrchestratorError('bad_request', `${file} cannot be read: ${(error as Error).message}`, [{ field, message: 'cannot be read' }]);
  }
  return parseJsonBytes(bytes, field, file);
}
