// pdfkit helpers shared by the agency and aggregate packets: a Letter document with the built-in
// Helvetica (no font files, no network), headings, small tables and the measure charts drawn from
// their SVG as vectors (svg-to-pdfkit), collected into one Buffer.
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';

export type Doc = PDFKit.PDFDocument;
const MARGIN = 50;

export function newDocument(info: { title: string; subject: string; createdAt: string }): { doc: Doc; bytes: Promise<Buffer> } {
  // A fixed creation date keeps the bytes a function of the input (same packet, same file).
  const doc = new PDFDocument({ size: 'LETTER', margin: MARGIN, info: { Title: info.title, Subject: info.subject, Creator: 'Convene', CreationDate: new Date(info.createdAt) } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const bytes = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, bytes };
}

export const contentWidth = (doc: Doc) => doc.page.width - 2 * MARGIN;

/** Starts a new page unless this much room is left. */
export function ensureRoom(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.height - MARGIN) doc.addPage();
}

export function heading(doc: Doc, text: string, size = 16): void {
  ensureRoom(doc, size * 3);
  doc.moveDown(0.5).font('Helvetica-Bold').fontSize(size).text(text, MARGIN).font('Helvetica').fontSize(10).moveDown(0.3);
}

export function paragraph(doc: Doc, text: string, options: { bold?: boolean; size?: number } = {}): void {
  doc.font(options.bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(options.size ?? 10).text(text, MARGIN, undefined, { width: contentWidth(doc) }).font('Helvetica').fontSize(10);
}

/** A table with a bold header row; columns share the width by the weights given. */
export function table(doc: Doc, header: string[], rows: string[][], weights: number[] = header.map(() => 1)): void {
  const total = weights.reduce((a, w) => a + w, 0);
  const widths = weights.map((w) => (contentWidth(doc) * w) / total);
  const line = (cells: string[], bold: boolean) => {
    ensureRoom(doc, 16);
    const y = doc.y;
    let x = MARGIN;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    const heights = cells.map((cell, i) => doc.heightOfString(cell, { width: widths[i]! - 4 }));
    cells.forEach((cell, i) => {
      doc.text(cell, x, y, { width: widths[i]! - 4 });
      x += widths[i]!;
    });
    doc.x = MARGIN;
    doc.y = y + Math.max(12, ...heights) + 2;
  };
  line(header, true);
  for (const r of rows) line(r, false);
  doc.font('Helvetica').fontSize(10).moveDown(0.5);
}

/** Draws an SVG chart (Vega's output) as vectors, scaled to the content width. */
export function chart(doc: Doc, svg: string): void {
  const width = Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(svg)?.[1] ?? 400);
  const height = Number(/<svg[^>]*\sheight="([\d.]+)"/.exec(svg)?.[1] ?? 300);
  const scale = Math.min(1, contentWidth(doc) / width, 260 / height);
  ensureRoom(doc, height * scale + 10);
  const y = doc.y;
  SVGtoPDF(doc, svg, MARGIN, y, { width: width * scale, height: height * scale, assumePt: true });
  doc.x = MARGIN;
  doc.y = y + height * scale + 10;
}
