// The diagram as a standalone SVG file, written from what Cytoscape has drawn: node positions,
// sizes, shapes and colours (with the current highlight), wrapped labels, and arrows.
// (cytoscape-svg is GPL-3.0, so we write the few shapes we draw ourselves: ADR 0005.)

const FONT_FAMILY = "Helvetica, Arial, sans-serif";
const PADDING = 20;

function esc(text) {
  return String(text)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

const num = (value) => Math.round(value * 10) / 10;

function nodeSvg(node) {
  const { x, y } = node.position();
  const w = node.width();
  const h = node.height();
  const border = parseFloat(node.style("border-width")) || 0;
  const dashed = node.style("border-style") === "dashed" ? ' stroke-dasharray="6 4"' : "";
  const paint = `fill="${esc(node.style("background-color"))}" stroke="${esc(node.style("border-color"))}" stroke-width="${num(border)}"${dashed}`;
  const shape = node.style("shape") === "ellipse"
    ? `<ellipse cx="${num(x)}" cy="${num(y)}" rx="${num(w / 2)}" ry="${num(h / 2)}" ${paint}/>`
    : `<rect x="${num(x - w / 2)}" y="${num(y - h / 2)}" width="${num(w)}" height="${num(h)}" ${paint}/>`;
  const lines = node.data("lines") || [node.data("name")];
  const size = parseFloat(node.style("font-size")) || 12;
  const lineHeight = size * (parseFloat(node.style("line-height")) || 1.25);
  const top = y - ((lines.length - 1) * lineHeight) / 2;
  const weight = node.style("font-weight") === "bold" ? ' font-weight="bold"' : "";
  const spans = lines
    .map((line, i) => `<tspan x="${num(x)}" y="${num(top + i * lineHeight)}">${esc(line)}</tspan>`)
    .join("");
  const text = `<text text-anchor="middle" dominant-baseline="central" font-size="${size}"${weight} fill="${esc(node.style("color"))}">${spans}</text>`;
  const opacity = node.effectiveOpacity();
  const group = opacity < 1 ? `<g opacity="${num(opacity)}">` : "<g>";
  return `${group}<title>${esc(node.data("name"))}</title>${shape}${text}</g>`;
}

function arrowHead(tip, from, size, color) {
  const angle = Math.atan2(tip.y - from.y, tip.x - from.x);
  const spread = Math.PI / 7;
  const point = (a) => `${num(tip.x - size * Math.cos(a))},${num(tip.y - size * Math.sin(a))}`;
  return `<polygon points="${num(tip.x)},${num(tip.y)} ${point(angle - spread)} ${point(angle + spread)}" fill="${esc(color)}"/>`;
}

function edgeSvg(edge) {
  const start = edge.sourceEndpoint();
  const end = edge.targetEndpoint();
  const controls = edge.controlPoints() || [];
  const width = parseFloat(edge.style("width")) || 1;
  const color = edge.style("line-color");
  const size = Math.max(8, width * 4);
  let path = `M${num(start.x)},${num(start.y)}`;
  if (controls.length) {
    // Cytoscape's bezier edges: quadratic curves through the midpoints of the control points.
    controls.forEach((c, i) => {
      const next = controls[i + 1];
      const to = next ? { x: (c.x + next.x) / 2, y: (c.y + next.y) / 2 } : end;
      path += ` Q${num(c.x)},${num(c.y)} ${num(to.x)},${num(to.y)}`;
    });
  } else {
    path += ` L${num(end.x)},${num(end.y)}`;
  }
  const parts = [`<path d="${path}" fill="none" stroke="${esc(color)}" stroke-width="${num(width)}"/>`];
  const beforeEnd = controls.length ? controls[controls.length - 1] : start;
  const afterStart = controls.length ? controls[0] : end;
  if (edge.style("target-arrow-shape") !== "none") {
    parts.push(arrowHead(end, beforeEnd, size, edge.style("target-arrow-color")));
  }
  if (edge.style("source-arrow-shape") !== "none") {
    parts.push(arrowHead(start, afterStart, size, edge.style("source-arrow-color")));
  }
  const opacity = edge.effectiveOpacity();
  const group = opacity < 1 ? `<g opacity="${num(opacity)}">` : "<g>";
  return `${group}${parts.join("")}</g>`;
}

export function toSvg(cy, title) {
  const box = cy.elements().boundingBox();
  const x = Number.isFinite(box.x1) ? box.x1 - PADDING : 0;
  const y = Number.isFinite(box.y1) ? box.y1 - PADDING : 0;
  const w = Number.isFinite(box.w) ? box.w + 2 * PADDING : 100;
  const h = Number.isFinite(box.h) ? box.h + 2 * PADDING : 100;
  const edges = cy.edges().map(edgeSvg).join("\n");
  const nodes = cy.nodes().map(nodeSvg).join("\n");
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${num(x)} ${num(y)} ${num(w)} ${num(h)}" width="${Math.ceil(w)}" height="${Math.ceil(h)}" font-family="${FONT_FAMILY}">`,
    `<title>${esc(title)}</title>`,
    `<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" fill="#ffffff"/>`,
    edges,
    nodes,
    "</svg>",
    "",
  ].join("\n");
}

export function fileName(title) {
  const safe = title.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, "-").replace(/\s+/g, " ").trim();
  return `${safe || "value-network"}.svg`;
}

export function downloadSvg(cy, title) {
  const svg = toSvg(cy, title);
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName(title);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return svg;
}
