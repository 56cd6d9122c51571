// What the identity tests share: reading back what a request did (or must not have done) from the outside.
import { pages } from '../../support/pages.js';
import { world } from '../../support/world.js';

/** Groups with exactly this name, as an admin lists them: page by page in name order (stops once past it). */
export async function groupsNamed(name: string): Promise<{ id: string; name: string }[]> {
  const admin = await world.admin();
  const found: { id: string; name: string }[] = [];
  for await (const { items } of pages('/groups', admin.token, { limit: '100' })) {
    found.push(...items.filter((g) => g.name === name));
    if (items.some((g) => g.name.toLowerCase() > name.toLowerCase())) break;
  }
  return found;
}
