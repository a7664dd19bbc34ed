/** Test helpers: the parts of a written report.html, by section, and its images decoded. */
import { PNG } from "pngjs";

/** The inner HTML of each <section id="...">, keyed by id, in page order. */
export function sectionsOf(html: string): Map<string, string> {
  const sections = new Map<string, string>();
  for (const m of html.matchAll(/<section id="([^"]+)">([\s\S]*?)<\/section>/g)) sections.set(m[1]!, m[2]!);
  return sections;
}

/** The PNG images of a piece of HTML, decoded from their data: URIs. */
export function pngsOf(html: string): PNG[] {
  return [...html.matchAll(/<img src="data:image\/png;base64,([^"]+)"/g)].map((m) => PNG.sync.read(Buffer.from(m[1]!, "base64")));
}

export function svgCount(html: string): number {
  return html.match(/<svg\b/g)?.length ?? 0;
}
