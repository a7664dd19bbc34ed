/**
 * The three sprite shapes as point-in-shape tests in shape coordinates
 * (u to the right, v up; scale 1 = a square of half-side 1). Every shape lies
 * inside the disc of radius sqrt(2), which placement relies on.
 */
export type SpriteShape = "square" | "ellipse" | "heart";
export const SPRITE_SHAPES: readonly SpriteShape[] = ["square", "ellipse", "heart"];
export const SHAPE_RADIUS = Math.SQRT2;

const INSIDE: Record<SpriteShape, (u: number, v: number) => boolean> = {
  square: (u, v) => Math.abs(u) <= 1 && Math.abs(v) <= 1,
  // Elongated, so rotating it changes the image (as dSprites' ellipse).
  ellipse: (u, v) => (u / 1.2) ** 2 + (v / 0.6) ** 2 <= 1,
  // The classic heart curve (x^2 + y^2 - 1)^3 = x^2 y^3, lobes up, point down,
  // shifted so its bounding box (x in +-1.14, y in -1..1.24) is centred: it
  // then reaches at most 1.34 from the centre.
  heart: (u, v) => {
    const y = v + 0.12;
    const a = u * u + y * y - 1;
    return a * a * a - u * u * y * y * y <= 0;
  },
};

/**
 * Draws a binary sprite into `out` (side x side, row-major, rows downward):
 * a pixel is 1 when its centre, mapped back into shape coordinates, is inside.
 * `cx`, `cy` are the centre in pixels, `radius` the pixel length of one shape
 * unit, `angle` the counter-clockwise rotation in radians.
 */
export function drawSprite(out: Float32Array, offset: number, side: number, shape: SpriteShape, cx: number, cy: number, radius: number, angle: number): void {
  const inside = INSIDE[shape];
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const reach = SHAPE_RADIUS * radius + 1;
  const r0 = Math.max(0, Math.floor(cy - reach));
  const r1 = Math.min(side - 1, Math.ceil(cy + reach));
  const c0 = Math.max(0, Math.floor(cx - reach));
  const c1 = Math.min(side - 1, Math.ceil(cx + reach));
  for (let row = r0; row <= r1; row++) {
    const dy = cy - (row + 0.5); // up is positive
    for (let col = c0; col <= c1; col++) {
      const dx = col + 0.5 - cx;
      // Rotate the pixel back by -angle, then undo the scale.
      const u = (dx * cos + dy * sin) / radius;
      const v = (-dx * sin + dy * cos) / radius;
      if (inside(u, v)) out[offset + row * side + col] = 1;
    }
  }
}
