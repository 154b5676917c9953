// Path globs, as the server matches phase rules: `*` any run of characters (`/` included), `?`
// one character, fitting the whole path.

/** Tell whether `path` fits `glob`. */
export function fitsGlob(glob, path) {
  const pattern = String(glob)
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${pattern}$`, 's').test(path);
}
