// The one way runtime code imports zod: `import * as z from '../zod.js'`.
//
// It is zod/mini, whose functions (`z.optional(s)`, `s.check(z.maxLength(n))`) let esbuild keep only what a
// function uses: 12–31 KiB of zod in a bundle, where the classic API's methods pull in all of it (~440 KiB),
// and every cold start pays to load that. Two ways to lose that again, both measured: `import { z } from
// 'zod/mini'` (a named namespace object keeps everything, ~420 KiB) and `z.locales.en()` (keeps every
// language, ~260 KiB).
//
// zod/mini loads no language, so every issue would read "Invalid input"; English keeps the messages the
// contract's `details` carry, as classic zod words them (schemas made with classic zod in tests agree).
import { en } from 'zod/locales';
import * as z from 'zod/mini';

z.config(en());

export * from 'zod/mini';
