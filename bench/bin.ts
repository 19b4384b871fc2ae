#!/usr/bin/env node
// The installed session-store-bench bin: the Node check first, from a module that loads on any
// Node, and only then the command, whose imports need a supported one.
import { exitUnlessSupportedNode } from '../command/node-support.js';

exitUnlessSupportedNode('session-store-bench');
await import('./cli.js');
