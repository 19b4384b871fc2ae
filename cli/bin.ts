#!/usr/bin/env node
// The installed session-store-conformance bin: the Node check first, from a module that loads on
// any Node, and only then the command, whose imports need a supported one.
import { exitUnlessSupportedNode } from '../command/node-support.js';

exitUnlessSupportedNode('session-store-conformance');
await import('./conformance.js');
