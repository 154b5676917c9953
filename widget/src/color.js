// Text on the accent colour must keep a contrast of at least 4.5:1 whatever colour the site
// picks, so the widget chooses black or white text by WCAG relative luminance.

const HEX = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;

/** Return `color` when it is a #rgb or #rrggbb hex colour, else undefined. */
export function hexColor(color) {
  return HEX.test(color) ? color : undefined;
}

function luminance(hex) {
  let digits = hex.slice(1);
  if (digits.length === 3) digits = digits.replace(/./g, '$&$&');
  const [r, g, b] = [0, 2, 4].map((at) => {
    const c = parseInt(digits.slice(at, at + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Return the text colour (black or white) with the higher contrast on background `hex`. */
export function textColorOn(hex) {
  const l = luminance(hex);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000' : '#fff';
}
