// The meet client suite on the source modules.
import { describe } from 'node:test';
import * as meet from '../src/index.js';
import { meetClientSuite } from './meet-suite.mjs';

describe('src/', () => meetClientSuite(meet));
