import { describe, expect, it } from 'vitest';
import { defaultPlatformSecret } from '../../../../../infra/local/environment.js';
import { demoPlatformSecret, localDefaultPlatformSecret } from '../../../../../web/src/lib/platform-demo.js';

describe('the secret the platform demo page offers', () => {
  it('is the local stack default on this machine, so a newcomer can walk the story without copying it', () => {
    expect(localDefaultPlatformSecret).toBe(defaultPlatformSecret);
    expect(demoPlatformSecret(undefined, 'localhost')).toBe(defaultPlatformSecret);
  });

  it('is the one config.json gives when it gives one, and empty on any other host', () => {
    expect(demoPlatformSecret('from-config', 'localhost')).toBe('from-config');
    expect(demoPlatformSecret(undefined, 'portal.example.com')).toBe('');
  });
});
