#!/usr/bin/env node
// A committed entry point, so that npm links the command at install time, before dist/ is built.
import '../dist/cli/genauth-mfa.js';
