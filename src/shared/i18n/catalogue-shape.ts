import type { en } from './en';

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
/** The shape every language's catalogue has: the English keys, any strings (its own file, so no catalogue imports another's importer). */
export type Catalogue = Widen<typeof en>;
