// Gives each test worker the environment the functions get, so a test may call shared/ store code
// directly against DynamoDB Local, the SES emulator and the S3 emulator of the running stack.
import { inject } from 'vitest';

Object.assign(process.env, inject('stack').env);
