// Item metadata the pages show beside ids, asked for once per item and kept for the tab's life.
import { call, segment } from './api.js';

const known = new Map();

/** The categories of each item id (an unknown item has none). */
export async function categoriesOf(ids) {
  await Promise.all(ids.filter(id => !known.has(id)).map(async id => {
    const item = await call(`/items/${segment(id)}`).catch(() => null);
    known.set(id, item?.categories ?? []);
  }));
  return new Map(ids.map(id => [id, known.get(id)]));
}
